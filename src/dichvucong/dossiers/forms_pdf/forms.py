"""Mẫu 01-05 of Circular 01/2018/TT-VPCP (A5), each rendered from a plain data object to PDF bytes."""

from django.utils import translation
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from dichvucong.pdf.layout import (
    build_pdf,
    esc,
    frame_width,
    grid,
    header,
    number_text,
    short_datetime,
    signature_blocks,
    styles,
    title,
    vn_date,
    vn_datetime,
)
from dichvucong.workdays.timeliness import Timeliness

from .data import ApologyData, ControlSlipData, FormBase, ReceiptData, RefusalData, SupplementRequestData

RECEIPT_COPIES = ("Liên 1: Lưu tại Bộ phận Tiếp nhận và Trả kết quả", "Liên 2: Giao cho người nộp hồ sơ")


def _head(data: FormBase, style: dict, width: float) -> list:
    return [
        header(
            parent_agency_name=data.parent_agency_name,
            agency_name=data.agency_name,
            place=data.place,
            issued_at=data.issued_at,
            number=data.number,
            width=width,
            style=style,
        )
    ]


def _applicant_lines(data: FormBase, style: dict) -> list:
    lines = [f"Họ và tên: <b>{esc(data.applicant_name)}</b>"]
    if data.applicant_id:
        lines.append(f"Số định danh cá nhân (CCCD): {esc(data.applicant_id)}")
    if data.applicant_address:
        lines.append(f"Địa chỉ: {esc(data.applicant_address)}")
    contact = [
        f"Số điện thoại: {esc(data.applicant_phone)}" if data.applicant_phone else "",
        f"Email: {esc(data.applicant_email)}" if data.applicant_email else "",
    ]
    if any(contact):
        lines.append("   ".join(part for part in contact if part))
    return [Paragraph(line, style["body"]) for line in lines]


def _pdf(story: list, *, form_title: str, data: FormBase, pagesize=A5) -> bytes:
    return build_pdf(
        story,
        pagesize=pagesize,
        title_text=f"{form_title} - {data.code}",
        subject=data.code,
        author=data.agency_name,
        qr_url=data.qr_target(),
    )


# --- Mẫu 01 ---------------------------------------------------------------------------------------------------------


def _receipt_copy(data: ReceiptData, copy_label: str, style: dict, width: float) -> list:
    story = _head(data, style, width)
    story += title(
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        style,
        f"Mã hồ sơ: <b>{esc(data.code)}</b><br/><i>({esc(copy_label)})</i>",
    )
    story.append(Paragraph(f"{esc(data.agency_name)} tiếp nhận hồ sơ của:", style["body"]))
    story += _applicant_lines(data, style)
    story.append(Paragraph(f"Nội dung yêu cầu giải quyết: <b>{esc(data.procedure_name)}</b>", style["body"]))
    story.append(Paragraph("1. Thành phần hồ sơ nộp gồm:", style["body"]))
    rows = [
        [Paragraph(f"<b>{text}</b>", style["small_center"]) for text in ("TT", "Tên giấy tờ", "Bản chính", "Bản sao")]
    ]
    for index, document in enumerate(data.documents, start=1):
        rows.append(
            [
                Paragraph(str(index), style["small_center"]),
                Paragraph(esc(document.name), style["small"]),
                Paragraph(str(document.originals), style["small_center"]),
                Paragraph(str(document.copies), style["small_center"]),
            ]
        )
    story.append(grid(rows, [8 * mm, width - 8 * mm - 2 * 16 * mm, 16 * mm, 16 * mm]))
    story += [
        Paragraph(line, style["body"])
        for line in (
            f"2. Số lượng hồ sơ: {data.sets} (bộ)",
            "3. Thời gian giải quyết hồ sơ theo quy định là: "
            + (esc(data.processing_time).lower() or f"{number_text(data.processing_days)} ngày làm việc"),
            f"4. Thời gian nhận hồ sơ: {vn_datetime(data.received_at)}",
            f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{vn_datetime(data.due_at)}</b>",
            f"6. Đăng ký nhận kết quả tại: {esc(data.collect_at) or '....................'}",
            f"Vào Sổ theo dõi hồ sơ, {esc(data.book_number) or 'Quyển số: ........ Số thứ tự: ........'}",
        )
    ]
    story.append(Spacer(1, 4))
    story.append(
        signature_blocks(
            [
                ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", data.applicant_name),
                ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", data.officer_name),
            ],
            width=width,
            style=style,
        )
    )
    return story


def render_receipt(data: ReceiptData) -> bytes:
    """Mẫu 01, in two copies (one page each): kept at the desk and given to the applicant (TT 01/2018 art. 18)."""
    style, width = styles(9.5), frame_width(A5)
    story = []
    for copy_label in RECEIPT_COPIES:
        if story:
            story.append(PageBreak())
        story += _receipt_copy(data, copy_label, style, width)
    return _pdf(story, form_title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả", data=data)


# --- Mẫu 02 ---------------------------------------------------------------------------------------------------------


def render_supplement_request(data: SupplementRequestData) -> bytes:
    """Mẫu 02: what the applicant must add or correct, why, and whom to ask (Decree 61/2018 art. 19)."""
    style, width = styles(), frame_width(A5)
    story = _head(data, style, width)
    story += title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", style, f"Mã hồ sơ: <b>{esc(data.code)}</b>")
    story.append(Paragraph("Hồ sơ của:", style["body"]))
    story += _applicant_lines(data, style)
    story.append(Paragraph(f"Nội dung yêu cầu giải quyết: <b>{esc(data.procedure_name)}</b>", style["body"]))
    story.append(
        Paragraph(
            f"{vn_date(data.received_at).capitalize()}, {esc(data.agency_name)} đã tiếp nhận hồ sơ của Ông/Bà. "
            "Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
            style["body"],
        )
    )
    for index, item in enumerate(data.items, start=1):
        story.append(Paragraph(f"{index}. {esc(item)}", style["body"]))
    if data.reason:
        story.append(Paragraph(f"Lý do: {esc(data.reason)}", style["body"]))
    contact = f"{esc(data.officer_name)}" + (f", số điện thoại {esc(data.officer_phone)}" if data.officer_phone else "")
    story.append(
        Paragraph(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
            f"{contact or '....................'} để được hướng dẫn. "
            "Thời gian Ông/Bà bổ sung hồ sơ không tính vào thời hạn giải quyết. Xin trân trọng cảm ơn./.",
            style["body"],
        )
    )
    story.append(
        signature_blocks([("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", data.officer_name)], width=width, style=style)
    )
    return _pdf(story, form_title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", data=data)


# --- Mẫu 03 ---------------------------------------------------------------------------------------------------------


def render_refusal(data: RefusalData) -> bytes:
    """Mẫu 03: the desk refuses a dossier outside its competence or not eligible, with the concrete reason."""
    style, width = styles(), frame_width(A5)
    story = _head(data, style, width)
    story += title("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", style, f"Mã hồ sơ: <b>{esc(data.code)}</b>")
    story.append(Paragraph(f"{esc(data.agency_name)} tiếp nhận hồ sơ của:", style["body"]))
    story += _applicant_lines(data, style)
    story.append(Paragraph(f"Nội dung yêu cầu giải quyết: <b>{esc(data.procedure_name)}</b>", style["body"]))
    story.append(
        Paragraph(
            f"Qua xem xét, {esc(data.agency_name)} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể "
            "như sau:",
            style["body"],
        )
    )
    story.append(Paragraph(f"<b>{esc(data.reason)}</b>", style["body"]))
    story.append(Paragraph("Xin thông báo cho Ông/Bà được biết và thực hiện./.", style["body"]))
    story.append(
        signature_blocks(
            [("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", data.officer_name)], width=width, style=style
        )
    )
    return _pdf(story, form_title="Phiếu từ chối tiếp nhận giải quyết hồ sơ", data=data)


# --- Mẫu 04 ---------------------------------------------------------------------------------------------------------


def render_apology(data: ApologyData) -> bytes:
    """Mẫu 04: apology with the reason and the new return date (sent no later than 1 day before the deadline)."""
    style, width = styles(), frame_width(A5)
    story = _head(data, style, width)
    story += title("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", style, f"Mã hồ sơ: <b>{esc(data.code)}</b>")
    story.append(Paragraph(f"Kính gửi: Ông/Bà <b>{esc(data.applicant_name)}</b>", style["center"]))
    story.append(Spacer(1, 4))
    story += [
        Paragraph(line, style["body"])
        for line in (
            f"{esc(data.agency_name)} đã tiếp nhận hồ sơ của Ông/Bà vào {vn_datetime(data.received_at)}.",
            f"Nội dung yêu cầu giải quyết: <b>{esc(data.procedure_name)}</b>",
            f"Mã hồ sơ: {esc(data.code)}",
            f"Thời hạn trả kết quả giải quyết hồ sơ: {vn_datetime(data.due_at)}.",
            "Tuy nhiên đến nay, cơ quan chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.",
            f"Lý do: {esc(data.reason)}",
            "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại cho Ông/Bà. "
            f"{esc(data.agency_name)} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào "
            f"<b>{vn_datetime(data.new_due_at)}</b>.",
            "Kính mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này./.",
        )
    ]
    story.append(
        signature_blocks(
            [(data.signer_title, "(Ký, ghi rõ họ tên và đóng dấu)", data.signer_name)], width=width, style=style
        )
    )
    return _pdf(story, form_title="Phiếu xin lỗi và hẹn lại ngày trả kết quả", data=data)


# --- Mẫu 05 ---------------------------------------------------------------------------------------------------------


def _timeliness_label(result: str) -> str:
    """ "on_time" → "Đúng hạn" (the `Timeliness` label, in Vietnamese as the form is); free text as it is."""
    if result not in Timeliness.values:
        return result
    with translation.override("vi"):
        return str(Timeliness(result).label)


def render_control_slip(data: ControlSlipData) -> bytes:
    """Mẫu 05: every hand-over of the dossier (time, giver, receiver) and its result before/on/after the deadline.

    A5 landscape so the table keeps readable columns.
    """
    pagesize = landscape(A5)
    style, width = styles(9), frame_width(pagesize)
    story = _head(data, style, width)
    story += title(
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        style,
        f"Mã hồ sơ: <b>{esc(data.code)}</b><br/><i>(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả "
        f"số: {esc(data.receipt_number or data.code)})</i>",
    )
    story += [
        Paragraph(line, style["body"])
        for line in (
            f"Người nộp hồ sơ: <b>{esc(data.applicant_name)}</b>"
            + (f" — CCCD {esc(data.applicant_id)}" if data.applicant_id else ""),
            f"Thủ tục: {esc(data.procedure_name)}",
            f"Cơ quan (bộ phận) giải quyết hồ sơ: {esc(data.handling_agency) or '....................'}",
            f"Cơ quan phối hợp giải quyết hồ sơ: {esc(data.coordinating_agencies) or '....................'}",
        )
    ]
    labels = (
        "TT",
        "Tên cơ quan, bộ phận",
        "Thời gian giao, nhận hồ sơ",
        "Người giao",
        "Người nhận",
        "Kết quả giải quyết (trước hạn / đúng hạn / quá hạn)",
        "Ghi chú",
    )
    rows = [[Paragraph(f"<b>{label}</b>", style["small_center"]) for label in labels]]
    for index, hand_over in enumerate(data.hand_overs, start=1):
        result = _timeliness_label(hand_over.result)
        rows.append(
            [Paragraph(str(index), style["small_center"])]
            + [
                Paragraph(esc(value), style["small"])
                for value in (
                    hand_over.agency,
                    short_datetime(hand_over.at),
                    hand_over.giver,
                    hand_over.receiver,
                    result,
                    hand_over.note,
                )
            ]
        )
    fixed = [26 * mm, 24 * mm, 24 * mm, 26 * mm, 20 * mm]  # time, giver, receiver, result, note
    story.append(grid(rows, [8 * mm, width - 8 * mm - sum(fixed), *fixed]))
    story.append(Spacer(1, 4))
    return _pdf(story, form_title="Phiếu kiểm soát quá trình giải quyết hồ sơ", data=data, pagesize=pagesize)
