"""Simulator of the National Public Service Portal (Cổng DVCQG) as the one-stop system sees it through the LGSP.

`python -m dichvucong.integrations.simulators.national_portal --port 8766`

Platform side (Bearer token, as the LGSP issues one per connected system):
- `POST /api/qcvn120/DongBoHoSoMC`, `/CapNhatTienDoHoSoMC`, `/DongBoTTHC`: the packet is validated against the field
  list (`dichvucong.integrations.qcvn120`): 400 `{"error_code": -1, "errors": [...]}` with the reasons, else stored
  and 200 `{"error_code": 0}`. A replay of an `X-Idempotency-Key` already stored is answered 200 `{"duplicate": true}`
  and not stored again; a packet of an ordering key older than the last one stored (`X-Sequence`) is counted as out
  of order.
- `GET /api/qcvn120/LayDanhSachHoSo?cursor=N&limit=M`: dossiers submitted on the portal after the cursor, and the
  next cursor; `GET /files/<id>`: one of their files.
Admin (no authentication, local use only):
- `POST /_control/mode {"mode": normal|slow|failing|down|out_of_order, "delay": seconds}`;
- `GET /_control/received?service=&MaHoSo=`, `GET /_control/rejected`, `GET /_control/stats`,
  `GET /_control/catalog`;
- `POST /_control/offer {...HoSoDVCQG without file links, "files": [{"name", "content_base64", "MaThanhPhan"}]}`:
  a citizen submits a dossier on the portal; `POST /_control/push {"MaHoSoQG", "url"}`: the portal pushes it to the
  one-stop system (HMAC-SHA256 signed with the push secret, headers X-Timestamp and X-Signature);
  `POST /_control/reset`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
import uuid

from dichvucong.integrations import qcvn120

from .base import Response, RunningSimulator, SimulatorBase, json_response

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "dev-only-lgsp-token"  # the development default of settings.NATIONAL_PORTAL_TOKEN
DEFAULT_PUSH_SECRET = "dev-only-national-push-secret"  # settings.NATIONAL_PORTAL_PUSH_SECRET
PACKETS = (qcvn120.DOSSIER_PACKET, qcvn120.PROGRESS_PACKET, qcvn120.CATALOG_PACKET)


class NationalPortalSimulator(SimulatorBase):
    name = "national-portal-simulator"

    def __init__(self, *, token: str = DEFAULT_TOKEN, push_secret: str = DEFAULT_PUSH_SECRET) -> None:
        super().__init__()
        self.token = token
        self.push_secret = push_secret
        self._lock = threading.RLock()
        self.reset()
        self.routes += [
            ("POST", re.compile(r"^/api/qcvn120/(?P<packet>\w+)$"), self.receive),
            ("GET", re.compile(r"^/api/qcvn120/LayDanhSachHoSo$"), self.list_offered),
            ("GET", re.compile(r"^/files/(?P<file_id>[\w-]+)$"), self.file),
            ("GET", re.compile(r"^/_control/received$"), self.control_received),
            ("GET", re.compile(r"^/_control/rejected$"), lambda e: json_response(200, self.rejected)),
            ("GET", re.compile(r"^/_control/stats$"), lambda e: json_response(200, self.stats())),
            ("GET", re.compile(r"^/_control/catalog$"), lambda e: json_response(200, self.catalog)),
            ("POST", re.compile(r"^/_control/offer$"), self.control_offer),
            ("POST", re.compile(r"^/_control/push$"), self.control_push),
            ("POST", re.compile(r"^/_control/reset$"), self.control_reset),
        ]

    def reset(self) -> None:
        with self._lock:
            self.received: list[dict] = []
            self.rejected: list[dict] = []
            self.keys: set[str] = set()
            self.duplicates = 0
            self.out_of_order = 0
            self.last_sequence: dict[str, int] = {}
            self.catalog: dict[str, dict] = {}
            self.offered: list[dict] = []
            self.files: dict[str, tuple[str, bytes]] = {}

    def stats(self) -> dict:
        with self._lock:
            by_service: dict[str, int] = {}
            for record in self.received:
                by_service[record["service"]] = by_service.get(record["service"], 0) + 1
            return {
                "received": len(self.received),
                "by_service": by_service,
                "rejected": len(self.rejected),
                "duplicates": self.duplicates,
                "out_of_order": self.out_of_order,
                "offered": len(self.offered),
                "requests": self.behaviour.requests,
            }

    def _authorised(self, environ) -> bool:
        return hmac.compare_digest(environ.get("HTTP_AUTHORIZATION", ""), f"Bearer {self.token}")

    # --- the platform's API ----------------------------------------------------------------------------------
    def receive(self, environ, packet: str):
        if not self._authorised(environ):
            return json_response(401, {"error_code": 401, "message": "Sai mã truy cập (token)"})
        if packet not in PACKETS:
            return json_response(404, {"error_code": 404, "message": f"Dịch vụ không tồn tại: {packet}"})
        try:
            data = json.loads(self.body(environ) or b"null")
        except ValueError:
            data = None
        errors = qcvn120.validate(packet, data) if data is not None else ["gói tin không phải JSON hợp lệ"]
        key = environ.get("HTTP_X_IDEMPOTENCY_KEY", "")
        ordering = environ.get("HTTP_X_ORDERING_KEY", "")
        try:
            sequence = int(environ.get("HTTP_X_SEQUENCE", "0"))
        except ValueError:
            sequence = 0
        with self._lock:
            if errors:
                self.rejected.append({"service": packet, "errors": errors, "packet": data, "idempotency_key": key})
                return json_response(400, {"error_code": -1, "message": "Gói tin không hợp lệ", "errors": errors})
            if key and key in self.keys:
                self.duplicates += 1
                return json_response(200, {"error_code": 0, "duplicate": True})
            if ordering and sequence:
                if sequence < self.last_sequence.get(ordering, 0):
                    self.out_of_order += 1
                self.last_sequence[ordering] = max(sequence, self.last_sequence.get(ordering, 0))
            if key:
                self.keys.add(key)
            self.received.append(
                {
                    "service": packet,
                    "packet": data,
                    "idempotency_key": key,
                    "ordering_key": ordering,
                    "sequence": sequence,
                    "received_at": time.time(),
                }
            )
            if packet == qcvn120.CATALOG_PACKET:
                self.catalog[data["MaTTHC"]] = data
        return json_response(200, {"error_code": 0, "message": "Thành công"})

    def list_offered(self, environ):
        if not self._authorised(environ):
            return json_response(401, {"error_code": 401, "message": "Sai mã truy cập (token)"})
        query = self.query(environ)
        try:
            cursor = int(query.get("cursor") or 0)
            limit = max(1, min(int(query.get("limit") or 50), 200))
        except ValueError:
            return json_response(400, {"error_code": -1, "message": "cursor/limit không hợp lệ"})
        with self._lock:
            page = self.offered[cursor : cursor + limit]
        items = [item for _, item in page]
        if self.behaviour.mode == "out_of_order":
            items = list(reversed(items))
        return json_response(200, {"items": items, "next_cursor": cursor + len(page)})

    def file(self, environ, file_id: str):
        if not self._authorised(environ):
            return json_response(401, {"error_code": 401, "message": "Sai mã truy cập (token)"})
        entry = self.files.get(file_id)
        if entry is None:
            return json_response(404, {"error_code": 404, "message": "Không tìm thấy tệp"})
        content_type, content = entry
        return self._raw(content, content_type)

    @staticmethod
    def _raw(content: bytes, content_type: str):
        return Response(200, content, content_type)

    # --- admin -----------------------------------------------------------------------------------------------
    def control_received(self, environ):
        query = self.query(environ)
        with self._lock:
            records = [
                r
                for r in self.received
                if (not query.get("service") or r["service"] == query["service"])
                and (not query.get("MaHoSo") or (r["packet"] or {}).get("MaHoSo") == query["MaHoSo"])
            ]
        return json_response(200, records)

    def offer(self, data: dict) -> dict:
        """A citizen submits a dossier on the portal: it is offered to the one-stop system (pull or push)."""
        item = {k: v for k, v in data.items() if k != "files"}
        item.setdefault("MaHoSoQG", "G22." + uuid.uuid4().hex[:12].upper())
        item.setdefault("NgayNop", time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 7 * 3600)))
        attachments = list(item.get("TepDinhKem") or [])
        for entry in data.get("files", []):
            file_id = uuid.uuid4().hex
            content = base64.b64decode(entry.get("content_base64", ""))
            self.files[file_id] = (entry.get("content_type", "application/octet-stream"), content)
            attachment = {"TenTep": entry.get("name", "tep.pdf"), "DuongDan": f"{self.base_url}/files/{file_id}"}
            if entry.get("MaThanhPhan"):
                attachment["MaThanhPhan"] = str(entry["MaThanhPhan"])
            attachments.append(attachment)
        item["TepDinhKem"] = attachments
        with self._lock:
            self.offered.append((item["MaHoSoQG"], item))
        return item

    def control_offer(self, environ):
        return json_response(201, self.offer(self.json_body(environ)))

    def push(self, national_code: str, url: str, *, secret: str | None = None) -> tuple[int, str]:
        """POST the offered dossier to the one-stop system's push endpoint, signed as the platform signs."""
        item = next((i for code, i in self.offered if code == national_code), None)
        if item is None:
            return 404, "not offered"
        body = json.dumps(item, ensure_ascii=False).encode("utf-8")
        timestamp = str(int(time.time()))
        signature = hmac.new(
            (secret or self.push_secret).encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        request = urllib.request.Request(  # noqa: S310 - local simulator
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Timestamp": timestamp, "X-Signature": signature},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def control_push(self, environ):
        data = self.json_body(environ)
        status, body = self.push(str(data.get("MaHoSoQG", "")), str(data.get("url", "")))
        return json_response(200, {"status": status, "body": body})

    def control_reset(self, environ):
        self.reset()
        self.behaviour.set("normal", 0)
        return json_response(200, {"status": "reset"})


def running(*, host: str = "127.0.0.1", port: int = 0, **options) -> RunningSimulator:
    return RunningSimulator(NationalPortalSimulator(**options), host=host, port=port)


def main() -> None:
    parser = argparse.ArgumentParser(description="Simulator of the National Public Service Portal (QCVN 120)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="Bearer token the one-stop system presents")
    parser.add_argument("--push-secret", default=DEFAULT_PUSH_SECRET, help="HMAC secret of pushed dossiers")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s national-portal-simulator %(message)s")
    running(host=args.host, port=args.port, token=args.token, push_secret=args.push_secret).serve_forever()


if __name__ == "__main__":
    main()
