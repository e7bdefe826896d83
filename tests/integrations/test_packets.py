"""QCVN 120 packets: what we build passes the field list of ../shared/design/MISSION.md; the simulator rejects what
does not, with the reasons."""

import datetime
import json
import urllib.error
import urllib.request

import pytest

from dichvucong.accounts.roles import Role
from dichvucong.integrations import qcvn120
from dichvucong.integrations.packets import dossier_packet, progress_packet
from dichvucong.integrations.simulators.national_portal import DEFAULT_TOKEN
from tests.factories import DossierFactory, officers_at

MISSION_DOSSIER_FIELDS = (
    "MaHoSo, MaTTHC, TenTTHC, MaLinhVuc, TenLinhVuc, ChuHoSo, LoaiDoiTuong, MaDoiTuong, SoDienThoai, Email, "
    "TrichYeuHoSo, NgayTiepNhan, NgayHenTra, TrangThaiHoSo, NgayTra, HinhThuc, NgayKetThucXuLy, DonViXuLy, "
    "TaiLieuNop, DanhSachLePhi, DanhSachHoSoBoSung, DanhSachGiayToKetQua"
)
MISSION_PROGRESS_FIELDS = (
    "MaHoSo, NguoiXuLy, ChucDanh, ThoiDiemXuLy, PhongBanXuLy, NoiDungXuLy, TrangThai, NgayBatDau, "
    "NgayKetThucTheoQuyDinh"
)


def test_the_field_lists_are_exactly_those_of_the_mission():
    assert list(qcvn120.FIELDS["DongBoHoSoMC"]) == MISSION_DOSSIER_FIELDS.split(", ")
    assert list(qcvn120.FIELDS["CapNhatTienDoHoSoMC"]) == MISSION_PROGRESS_FIELDS.split(", ")


def test_dates_are_yyyymmddhhmmss_in_ho_chi_minh_time():
    moment = datetime.datetime(2026, 12, 3, 1, 2, 3, tzinfo=datetime.UTC)
    assert qcvn120.format_time(moment) == "20261203080203"
    assert qcvn120.parse_time("20261203080203").astimezone(datetime.UTC) == moment
    with pytest.raises(ValueError):
        qcvn120.format_time(datetime.datetime(2026, 12, 3))  # naive


@pytest.mark.django_db
def test_built_packets_are_valid_at_every_status():
    dossier = DossierFactory(processed=True)
    packet = dossier_packet(dossier)
    assert qcvn120.validate("DongBoHoSoMC", packet) == []
    assert packet["TrangThaiHoSo"] == 9 and packet["NgayKetThucXuLy"] and packet["NgayHenTra"]
    counter = DossierFactory(counter=True)
    assert dossier_packet(counter)["HinhThuc"] == 1
    officer = officers_at(dossier.agency)[Role.SPECIALIST]
    progress = progress_packet(dossier, actor=officer, step_name="Thẩm định", unit="Phòng Quản lý", note="Đạt")
    assert qcvn120.validate("CapNhatTienDoHoSoMC", progress) == []
    assert progress["NoiDungXuLy"] == "Thẩm định: Đạt"


def test_malformed_packets_are_refused_with_every_reason():
    packet = {name: "x" for name in qcvn120.FIELDS["DongBoHoSoMC"]}
    packet.update(
        TrangThaiHoSo=11, LoaiDoiTuong="1", HinhThuc=4, NgayTiepNhan="2026-12-03", TaiLieuNop=[{"TenTepDinhKem": 1}],
        DanhSachLePhi=[], DanhSachHoSoBoSung=[], DanhSachGiayToKetQua=[], NgayHenTra="", NgayTra="",
        NgayKetThucXuLy="", Extra="?",
    )  # fmt: skip
    del packet["MaTTHC"]
    errors = qcvn120.validate("DongBoHoSoMC", packet)
    joined = "\n".join(errors)
    for expected in (
        "MaTTHC: bắt buộc",
        "TrangThaiHoSo: giá trị 11",
        "LoaiDoiTuong: phải là số nguyên",
        "HinhThuc: giá trị 4",
        "NgayTiepNhan: ngày giờ phải theo định dạng yyyyMMddHHmmss",
        "TaiLieuNop[0].TepDinhKemId: bắt buộc",
        "TaiLieuNop[0].TenTepDinhKem: phải là chuỗi",
        "Extra: trường không có trong danh mục",
    ):
        assert expected in joined, expected
    assert qcvn120.validate("DongBoHoSoMC", [1]) == ["gói tin phải là một đối tượng JSON"]
    assert qcvn120.validate("Khac", {}) == ["loại gói tin không hỗ trợ: Khac"]


def _post(url, body: bytes, token=DEFAULT_TOKEN):
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_simulator_rejects_malformed_and_unauthenticated_packets_and_keeps_the_reasons(portal):
    url = f"{portal.url}/api/qcvn120/CapNhatTienDoHoSoMC"
    status, body = _post(url, json.dumps({"MaHoSo": "X", "TrangThai": 0}).encode())
    assert status == 400 and body["error_code"] == -1
    assert any("NguoiXuLy: bắt buộc" in e for e in body["errors"])
    assert any("TrangThai: giá trị 0" in e for e in body["errors"])
    assert _post(url, b"{not json")[0] == 400
    assert _post(url, b"{}", token="wrong")[0] == 401
    rejected = json.loads(urllib.request.urlopen(f"{portal.url}/_control/rejected").read())
    assert len(rejected) == 2 and rejected[0]["service"] == "CapNhatTienDoHoSoMC"
    assert portal.app.received == []
