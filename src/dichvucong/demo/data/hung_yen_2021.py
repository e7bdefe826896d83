"""Hưng Yên province as organised in 2021 (three tiers), for demo data.

Sources: Plan 111/KH-UBND of 23/7/2021 (shared/seed); the province's list of departments and district-level
units (shared/data/hung-yen-2021-units.md, checked against the names published on the provincial portal
hungyen.gov.vn). Codes follow the QCVN 102:2016 pattern with the province part `H31` (as in the example of
MISSION.md); the level-1 and level-2 numbers are assigned here for the demo and are not the official ones.
"""

PROVINCE_SUFFIX = "H31"
PROVINCE = ("000.00.00.H31", "Ủy ban nhân dân tỉnh Hưng Yên", "UBND tỉnh", "peoples_committee")

# (code, name, short name, kind)
PROVINCIAL_AGENCIES = [
    ("000.00.01.H31", "Văn phòng Ủy ban nhân dân tỉnh Hưng Yên", "VP UBND tỉnh", "office"),
    ("000.00.02.H31", "Trung tâm Phục vụ hành chính công tỉnh Hưng Yên", "TTPVHCC tỉnh", "service_center"),
    ("000.00.03.H31", "Sở Nội vụ tỉnh Hưng Yên", "Sở Nội vụ", "department"),
    ("000.00.04.H31", "Sở Tư pháp tỉnh Hưng Yên", "Sở Tư pháp", "department"),
    ("000.00.05.H31", "Sở Kế hoạch và Đầu tư tỉnh Hưng Yên", "Sở KH&ĐT", "department"),
    ("000.00.06.H31", "Sở Tài chính tỉnh Hưng Yên", "Sở Tài chính", "department"),
    ("000.00.07.H31", "Sở Công Thương tỉnh Hưng Yên", "Sở Công Thương", "department"),
    ("000.00.08.H31", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hưng Yên", "Sở NN&PTNT", "department"),
    ("000.00.09.H31", "Sở Giao thông vận tải tỉnh Hưng Yên", "Sở GTVT", "department"),
    ("000.00.10.H31", "Sở Xây dựng tỉnh Hưng Yên", "Sở Xây dựng", "department"),
    ("000.00.11.H31", "Sở Tài nguyên và Môi trường tỉnh Hưng Yên", "Sở TN&MT", "department"),
    ("000.00.12.H31", "Sở Thông tin và Truyền thông tỉnh Hưng Yên", "Sở TT&TT", "department"),
    ("000.00.13.H31", "Sở Lao động - Thương binh và Xã hội tỉnh Hưng Yên", "Sở LĐ-TB&XH", "department"),
    ("000.00.14.H31", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hưng Yên", "Sở VH,TT&DL", "department"),
    ("000.00.15.H31", "Sở Khoa học và Công nghệ tỉnh Hưng Yên", "Sở KH&CN", "department"),
    ("000.00.16.H31", "Sở Giáo dục và Đào tạo tỉnh Hưng Yên", "Sở GD&ĐT", "department"),
    ("000.00.17.H31", "Sở Y tế tỉnh Hưng Yên", "Sở Y tế", "department"),
    ("000.00.18.H31", "Thanh tra tỉnh Hưng Yên", "Thanh tra tỉnh", "department"),
    ("000.00.19.H31", "Ban Quản lý các khu công nghiệp tỉnh Hưng Yên", "BQL các KCN", "department"),
]

# (code, name, short name); the 10 district-level units of 2021
DISTRICTS = [
    ("000.00.21.H31", "Ủy ban nhân dân thành phố Hưng Yên", "TP Hưng Yên"),
    ("000.00.22.H31", "Ủy ban nhân dân thị xã Mỹ Hào", "TX Mỹ Hào"),
    ("000.00.23.H31", "Ủy ban nhân dân huyện Văn Lâm", "Văn Lâm"),
    ("000.00.24.H31", "Ủy ban nhân dân huyện Văn Giang", "Văn Giang"),
    ("000.00.25.H31", "Ủy ban nhân dân huyện Yên Mỹ", "Yên Mỹ"),
    ("000.00.26.H31", "Ủy ban nhân dân huyện Khoái Châu", "Khoái Châu"),
    ("000.00.27.H31", "Ủy ban nhân dân huyện Ân Thi", "Ân Thi"),
    ("000.00.28.H31", "Ủy ban nhân dân huyện Kim Động", "Kim Động"),
    ("000.00.29.H31", "Ủy ban nhân dân huyện Phù Cừ", "Phù Cừ"),
    ("000.00.30.H31", "Ủy ban nhân dân huyện Tiên Lữ", "Tiên Lữ"),
]

# district code -> [(commune name)]: the communes, wards and towns of Văn Lâm and Văn Giang in 2021
COMMUNES = {
    "000.00.23.H31": [
        "thị trấn Như Quỳnh",
        "xã Lạc Đạo",
        "xã Chỉ Đạo",
        "xã Đại Đồng",
        "xã Việt Hưng",
        "xã Tân Quang",
        "xã Đình Dù",
        "xã Minh Hải",
        "xã Lương Tài",
        "xã Trưng Trắc",
        "xã Lạc Hồng",
    ],
    "000.00.24.H31": [
        "thị trấn Văn Giang",
        "xã Xuân Quan",
        "xã Cửu Cao",
        "xã Phụng Công",
        "xã Long Hưng",
        "xã Liên Nghĩa",
        "xã Tân Tiến",
        "xã Thắng Lợi",
        "xã Mễ Sở",
        "xã Vĩnh Khúc",
        "xã Nghĩa Trụ",
    ],
}


def commune_code(district_code: str, index: int) -> str:
    """Level-2 code under a district: `000.<NN>.<district Y1Y2>.H31`."""
    _, _, y, m = district_code.split(".")
    return f"000.{index:02d}.{y}.{m}"


# Demo accounts of shared/design/API.md: (username, full name, job title, [(role, agency code or None)])
STAFF = [
    ("sotp.reception", "Lê Thị Hoa", "Cán bộ một cửa", [("reception", "000.00.04.H31")]),
    ("sotp.specialist", "Phạm Văn Minh", "Chuyên viên Phòng Hành chính tư pháp", [("specialist", "000.00.04.H31")]),
    ("sotp.head", "Đỗ Thị Lan", "Trưởng phòng Hành chính tư pháp", [("division_head", "000.00.04.H31")]),
    ("sotp.leader", "Vũ Đức Thắng", "Phó Giám đốc Sở Tư pháp", [("leader", "000.00.04.H31")]),
    ("sotp.clerk", "Ngô Thị Thu", "Văn thư Sở Tư pháp", [("clerk", "000.00.04.H31")]),
    ("vanlam.reception", "Nguyễn Thị Mai", "Cán bộ một cửa huyện Văn Lâm", [("reception", "000.00.23.H31")]),
    (
        "vanlam.specialist",
        "Trần Văn Hùng",
        "Chuyên viên Phòng Tư pháp huyện Văn Lâm",
        [("specialist", "000.00.23.H31")],
    ),
    ("vanlam.head", "Hoàng Thị Nga", "Trưởng phòng Tư pháp huyện Văn Lâm", [("division_head", "000.00.23.H31")]),
    ("vanlam.leader", "Bùi Văn Long", "Phó Chủ tịch UBND huyện Văn Lâm", [("leader", "000.00.23.H31")]),
    ("vanlam.clerk", "Đặng Thị Yến", "Văn thư UBND huyện Văn Lâm", [("clerk", "000.00.23.H31")]),
    ("vangiang.reception", "Phan Thị Hương", "Cán bộ một cửa huyện Văn Giang", [("reception", "000.00.24.H31")]),
    (
        "vpubnd.admin",
        "Trịnh Quốc Khánh",
        "Chuyên viên Phòng Kiểm soát TTHC, Văn phòng UBND tỉnh",
        [("province_admin", None)],
    ),
    (
        "sotttt.monitor",
        "Lương Minh Tuấn",
        "Chuyên viên Sở Thông tin và Truyền thông (Tổ công tác)",
        [("monitor", None)],
    ),
]

# The rest of the demo staff: every step role of every demo procedure's process has an officer at an agency that
# offers it (tests/demo/test_staffing.py). Văn Giang, thị trấn Như Quỳnh (Văn Lâm) and each department that offers a
# demo procedure get the five roles of the standard process; the Provincial Office gets its own administrator, who
# drafts the tier templates the Office owns (`vpubnd.admin` reviews them and so must not belong to the Office).
NHU_QUYNH = commune_code("000.00.23.H31", 1)  # thị trấn Như Quỳnh, the first commune of Văn Lâm
STAFF += [
    (
        "vpubnd.agencyadmin",
        "Nguyễn Thị Thanh Hà",
        "Chuyên viên Phòng Hành chính - Tổ chức, Văn phòng UBND tỉnh",
        [("agency_admin", "000.00.01.H31")],
    ),
    # UBND huyện Văn Giang
    (
        "vangiang.specialist",
        "Nguyễn Văn Thành",
        "Chuyên viên Phòng Tư pháp huyện Văn Giang",
        [("specialist", "000.00.24.H31")],
    ),
    ("vangiang.head", "Lê Thị Thu Trang", "Trưởng phòng Tư pháp huyện Văn Giang", [("division_head", "000.00.24.H31")]),
    ("vangiang.leader", "Đào Văn Quyết", "Phó Chủ tịch UBND huyện Văn Giang", [("leader", "000.00.24.H31")]),
    ("vangiang.clerk", "Vũ Thị Hằng", "Văn thư UBND huyện Văn Giang", [("clerk", "000.00.24.H31")]),
    # UBND thị trấn Như Quỳnh (huyện Văn Lâm)
    (
        "nhuquynh.reception",
        "Nguyễn Thị Lan Anh",
        "Công chức Văn phòng - Thống kê, Bộ phận một cửa thị trấn Như Quỳnh",
        [("reception", NHU_QUYNH)],
    ),
    (
        "nhuquynh.specialist",
        "Trần Minh Đức",
        "Công chức Tư pháp - Hộ tịch thị trấn Như Quỳnh",
        [("specialist", NHU_QUYNH)],
    ),
    ("nhuquynh.head", "Phạm Thị Huyền", "Phó Chủ tịch UBND thị trấn Như Quỳnh", [("division_head", NHU_QUYNH)]),
    ("nhuquynh.leader", "Đỗ Văn Hải", "Chủ tịch UBND thị trấn Như Quỳnh", [("leader", NHU_QUYNH)]),
    (
        "nhuquynh.clerk",
        "Lương Thị Nhung",
        "Công chức Văn phòng - Thống kê (văn thư) thị trấn Như Quỳnh",
        [("clerk", NHU_QUYNH)],
    ),
    # Sở Kế hoạch và Đầu tư
    (
        "sokhdt.reception",
        "Hoàng Thị Ngọc Ánh",
        "Cán bộ Sở KH&ĐT tại Trung tâm Phục vụ hành chính công tỉnh",
        [("reception", "000.00.05.H31")],
    ),
    (
        "sokhdt.specialist",
        "Phạm Quang Huy",
        "Chuyên viên Phòng Đăng ký kinh doanh, Sở KH&ĐT",
        [("specialist", "000.00.05.H31")],
    ),
    (
        "sokhdt.head",
        "Nguyễn Thị Minh Nguyệt",
        "Trưởng phòng Đăng ký kinh doanh, Sở KH&ĐT",
        [("division_head", "000.00.05.H31")],
    ),
    ("sokhdt.leader", "Trần Đức Toàn", "Phó Giám đốc Sở Kế hoạch và Đầu tư", [("leader", "000.00.05.H31")]),
    ("sokhdt.clerk", "Bùi Thị Phương", "Văn thư Sở Kế hoạch và Đầu tư", [("clerk", "000.00.05.H31")]),
    # Sở Giao thông vận tải
    (
        "sogtvt.reception",
        "Đinh Thị Kim Oanh",
        "Cán bộ Sở GTVT tại Trung tâm Phục vụ hành chính công tỉnh",
        [("reception", "000.00.09.H31")],
    ),
    (
        "sogtvt.specialist",
        "Lê Văn Khoa",
        "Chuyên viên Phòng Quản lý vận tải, phương tiện và người lái, Sở GTVT",
        [("specialist", "000.00.09.H31")],
    ),
    (
        "sogtvt.head",
        "Ngô Văn Sơn",
        "Trưởng phòng Quản lý vận tải, phương tiện và người lái, Sở GTVT",
        [("division_head", "000.00.09.H31")],
    ),
    ("sogtvt.leader", "Vương Đình Chiến", "Phó Giám đốc Sở Giao thông vận tải", [("leader", "000.00.09.H31")]),
    ("sogtvt.clerk", "Tạ Thị Duyên", "Văn thư Sở Giao thông vận tải", [("clerk", "000.00.09.H31")]),
    # Sở Xây dựng
    (
        "soxd.reception",
        "Mai Thị Thảo",
        "Cán bộ Sở Xây dựng tại Trung tâm Phục vụ hành chính công tỉnh",
        [("reception", "000.00.10.H31")],
    ),
    (
        "soxd.specialist",
        "Đoàn Văn Tùng",
        "Chuyên viên Phòng Quản lý hoạt động xây dựng, Sở Xây dựng",
        [("specialist", "000.00.10.H31")],
    ),
    (
        "soxd.head",
        "Cao Xuân Trường",
        "Trưởng phòng Quản lý hoạt động xây dựng, Sở Xây dựng",
        [("division_head", "000.00.10.H31")],
    ),
    ("soxd.leader", "Nguyễn Hữu Nghĩa", "Phó Giám đốc Sở Xây dựng", [("leader", "000.00.10.H31")]),
    ("soxd.clerk", "Trịnh Thị Loan", "Văn thư Sở Xây dựng", [("clerk", "000.00.10.H31")]),
    # Sở Lao động - Thương binh và Xã hội
    (
        "soldtbxh.reception",
        "Phùng Thị Hồng Nhung",
        "Cán bộ Sở LĐ-TB&XH tại Trung tâm Phục vụ hành chính công tỉnh",
        [("reception", "000.00.13.H31")],
    ),
    (
        "soldtbxh.specialist",
        "Hà Văn Dũng",
        "Chuyên viên Phòng Lao động - Việc làm, Sở LĐ-TB&XH",
        [("specialist", "000.00.13.H31")],
    ),
    (
        "soldtbxh.head",
        "Lưu Thị Bích Ngọc",
        "Trưởng phòng Lao động - Việc làm, Sở LĐ-TB&XH",
        [("division_head", "000.00.13.H31")],
    ),
    (
        "soldtbxh.leader",
        "Đặng Văn Phúc",
        "Phó Giám đốc Sở Lao động - Thương binh và Xã hội",
        [("leader", "000.00.13.H31")],
    ),
    ("soldtbxh.clerk", "Kiều Thị Mến", "Văn thư Sở Lao động - Thương binh và Xã hội", [("clerk", "000.00.13.H31")]),
    # Sở Giáo dục và Đào tạo
    (
        "sogddt.reception",
        "Chu Thị Thanh Tâm",
        "Cán bộ Sở GD&ĐT tại Trung tâm Phục vụ hành chính công tỉnh",
        [("reception", "000.00.16.H31")],
    ),
    (
        "sogddt.specialist",
        "Nguyễn Đức Anh",
        "Chuyên viên Phòng Khảo thí và Quản lý chất lượng, Sở GD&ĐT",
        [("specialist", "000.00.16.H31")],
    ),
    (
        "sogddt.head",
        "Phạm Thị Thu Hà",
        "Trưởng phòng Khảo thí và Quản lý chất lượng, Sở GD&ĐT",
        [("division_head", "000.00.16.H31")],
    ),
    ("sogddt.leader", "Trần Văn Bình", "Phó Giám đốc Sở Giáo dục và Đào tạo", [("leader", "000.00.16.H31")]),
    ("sogddt.clerk", "Lê Thị Hạnh", "Văn thư Sở Giáo dục và Đào tạo", [("clerk", "000.00.16.H31")]),
    # Sở Y tế
    (
        "soyte.reception",
        "Vũ Thị Mai Phương",
        "Cán bộ Sở Y tế tại Trung tâm Phục vụ hành chính công tỉnh",
        [("reception", "000.00.17.H31")],
    ),
    (
        "soyte.specialist",
        "Bùi Quốc Việt",
        "Chuyên viên Phòng Nghiệp vụ Y - Dược, Sở Y tế",
        [("specialist", "000.00.17.H31")],
    ),
    ("soyte.head", "Hoàng Minh Tâm", "Trưởng phòng Nghiệp vụ Y - Dược, Sở Y tế", [("division_head", "000.00.17.H31")]),
    ("soyte.leader", "Nguyễn Văn Hưởng", "Phó Giám đốc Sở Y tế", [("leader", "000.00.17.H31")]),
    ("soyte.clerk", "Đỗ Thị Xuân", "Văn thư Sở Y tế", [("clerk", "000.00.17.H31")]),
]

# Roles the demo once granted and no longer does: withdrawn when the loader runs on an older demo database.
# `vpubnd.admin` controls the processes the Provincial Office owns (the tier templates), so he is no longer also
# the Office's agency administrator (workflows.services: nobody reviews a process of an agency they belong to).
STAFF_ROLES_WITHDRAWN = [("vpubnd.admin", "agency_admin", "000.00.01.H31")]

# (username, full name, CCCD, phone, address)
CITIZENS = [
    ("citizen", "Nguyễn Văn An", "033090001234", "0912345678", "thôn Như Quỳnh, thị trấn Như Quỳnh, huyện Văn Lâm"),
    ("citizen2", "Trần Thị Bình", "033195004321", "0987654321", "xã Xuân Quan, huyện Văn Giang"),
]

# (username, organisation, tax code, representative)
BUSINESSES = [
    ("doanhnghiep", "Công ty TNHH Sản xuất Thương mại Phố Hiến", "0900100102", "Lê Văn Cường"),
]
