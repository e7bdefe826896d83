"""`python simulators/population_registry/server.py --port 8772`: the national population database (Cơ sở dữ liệu
quốc gia về dân cư) as reached through the provincial LGSP, answering by CCCD. Stdlib only, its own process.

API (what `dichvucong.identity.registry.PopulationRegistryClient` calls):
- `POST /api/v1/cong-dan/tra-cuu` JSON `{"so_dinh_danh": "<CCCD>", "ma_yeu_cau": "<request id>", "muc_dich": "..."}`,
  header `X-LGSP-Key: <key>` → 200 `{"so_dinh_danh", "ho_ten", "ngay_sinh", "gioi_tinh", "noi_thuong_tru",
  "noi_o_hien_tai", "ho_gia_dinh": {...}, "ma_yeu_cau"}`; 404 `{"ma_loi": "KHONG_TIM_THAY"}`;
  401 `{"ma_loi": "SAI_KHOA"}`; 400 `{"ma_loi": "YEU_CAU_KHONG_HOP_LE"}`.
Test controls (local use only, no key):
- `POST /_control/next` `{"mode": "other_person" | "error" | "slow"}`: the next lookup answers for another person,
  fails with 503, or waits 5 s;
- `GET /_control/requests`: every lookup received (CCCD, request id), to prove that none was made;
- `POST /_control/reset`; `GET /_control/health`.
"""

import argparse
import contextlib
import json
import socketserver
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

HERE = Path(__file__).resolve().parent
DEFAULT_RESIDENTS = HERE.parent / "residents.json"
DEFAULT_KEY = "dev-only-registry-key"
OTHER_PERSON = "033092005678"


class State:
    def __init__(self, residents: dict, api_key: str) -> None:
        self.residents, self.api_key = residents, api_key
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.next_modes: list[str] = []

    def take_mode(self) -> str | None:
        with self.lock:
            return self.next_modes.pop(0) if self.next_modes else None


def record(person: dict) -> dict:
    return {
        "so_dinh_danh": person["citizen_id"],
        "ho_ten": person["full_name"],
        "ngay_sinh": person["birthdate"],
        "gioi_tinh": {"male": "Nam", "female": "Nữ"}[person["gender"]],
        "noi_thuong_tru": person["permanent_address"],
        "noi_o_hien_tai": person["current_address"],
        "ho_gia_dinh": {
            "so_ho": person["household"]["household_id"],
            "chu_ho": person["household"]["head"],
            "quan_he_voi_chu_ho": person["household"]["relation_to_head"],
            "thanh_vien": [
                {"ho_ten": m["full_name"], "quan_he": m["relation"], "nam_sinh": m["birth_year"]}
                for m in person["household"]["members"]
            ],
        },
    }


class RegistryApp:
    def __init__(self, state: State) -> None:
        self.state = state

    def __call__(self, environ, start_response):
        status, body = self.dispatch(environ)
        payload = json.dumps(body, ensure_ascii=False).encode()
        start_response(
            status, [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(payload)))]
        )
        return [payload]

    def dispatch(self, environ):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        if path == "/_control/health":
            return "200 OK", {"status": "ok"}
        if path == "/_control/requests" and method == "GET":
            with self.state.lock:
                return "200 OK", {"requests": list(self.state.requests)}
        if path == "/_control/reset" and method == "POST":
            with self.state.lock:
                self.state.requests.clear()
                self.state.next_modes.clear()
            return "200 OK", {"status": "reset"}
        if path == "/_control/next" and method == "POST":
            mode = json.loads(raw or b"{}").get("mode")
            if mode not in {"other_person", "error", "slow"}:
                return "400 Bad Request", {"ma_loi": "CHE_DO_KHONG_HOP_LE"}
            with self.state.lock:
                self.state.next_modes.append(mode)
            return "200 OK", {"armed": mode}
        if path != "/api/v1/cong-dan/tra-cuu":
            return "404 Not Found", {"ma_loi": "KHONG_CO_DICH_VU"}
        if method != "POST":
            return "405 Method Not Allowed", {"ma_loi": "SAI_PHUONG_THUC"}
        if environ.get("HTTP_X_LGSP_KEY") != self.state.api_key:
            return "401 Unauthorized", {"ma_loi": "SAI_KHOA"}
        try:
            query = json.loads(raw)
            citizen_id = str(query["so_dinh_danh"])
        except (ValueError, KeyError, TypeError):
            return "400 Bad Request", {"ma_loi": "YEU_CAU_KHONG_HOP_LE"}
        with self.state.lock:
            self.state.requests.append({"so_dinh_danh": citizen_id, "ma_yeu_cau": query.get("ma_yeu_cau", "")})
        mode = self.state.take_mode()
        if mode == "error":
            return "503 Service Unavailable", {"ma_loi": "HE_THONG_BAN"}
        if mode == "slow":
            time.sleep(5)
        person = self.state.residents.get(OTHER_PERSON if mode == "other_person" else citizen_id)
        if person is None:
            return "404 Not Found", {"ma_loi": "KHONG_TIM_THAY"}
        return "200 OK", {**record(person), "ma_yeu_cau": query.get("ma_yeu_cau", "")}


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description="Local population registry (national population database) via LGSP")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8772)
    parser.add_argument("--api-key", default=DEFAULT_KEY)
    parser.add_argument("--residents", default=str(DEFAULT_RESIDENTS))
    args = parser.parse_args()
    with open(args.residents, encoding="utf-8") as handle:
        people = {p["citizen_id"]: p for p in json.load(handle)["residents"]}
    server = ThreadingWSGIServer((args.host, args.port), QuietHandler)
    server.set_app(RegistryApp(State(people, args.api_key)))
    print(f"REGISTRY_READY http://{args.host}:{server.server_port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
