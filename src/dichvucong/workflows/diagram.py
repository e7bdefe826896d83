"""A small, dependency-free SVG drawing of a process: one box per step (name, role, duration), arrows for the
actions that move the dossier forward (solid, on the right when they skip steps), returns (dashed, on the left)
and the end of the process (delivery to the one-stop desk, transfer to another agency).

Only presentation attributes are used (no `style`), so the drawing passes the site's strict CSP when inlined.
"""

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from .models import ENDING_ACTIONS, MOVING_ACTIONS, ActionKind, Process, StepRole
from .validation import fmt_decimal

BOX_W, BOX_H, GAP, LEFT, TOP = 380, 66, 46, 90, 56
WIDTH = LEFT + BOX_W + 150
COLORS = {
    "reception": "#e8f1fb",
    "specialist": "#eef7ee",
    "division_head": "#fff6e0",
    "leader": "#fdecea",
    "clerk": "#f1ecfb",
    "other_agency": "#eeeeee",
}


def _text(x, y, value, *, size=13, weight="normal", anchor="start", fill="#1b1b1b") -> str:
    return (
        f'<text x="{x}" y="{y}" font-family="sans-serif" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(value)}</text>'
    )


def _short(value: str, limit: int = 46) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _duration_label(hours) -> str:
    days = hours / 8
    return _("%(days)s ngày (%(hours)s giờ)") % {"days": fmt_decimal(days), "hours": fmt_decimal(hours)}


def _box(step, y) -> str:
    role = StepRole(step.role).label if step.role in StepRole.values else _("(chưa có vai trò)")
    if step.role == StepRole.OTHER_AGENCY and step.other_agency_id:
        role = step.other_agency.short_name or step.other_agency.name
    actions = ", ".join(ActionKind(a).label.lower() for a in step.actions if a in ActionKind.values)
    return "".join(
        [
            f"<g><title>{escape(step.name)}</title>",
            f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{COLORS.get(step.role, "#fff")}" '
            f'stroke="{"#b3261e" if step.is_start else "#555"}" stroke-width="{2 if step.is_start else 1}"/>',
            _text(LEFT + 10, y + 20, f"{step.order}. {_short(step.name)}", weight="bold"),
            _text(LEFT + 10, y + 38, f"{role} · {_duration_label(step.duration_hours)}", size=12),
            _text(LEFT + 10, y + 55, _short(actions, 60), size=11, fill="#555"),
            "</g>",
        ]
    )


def render_process_svg(process: Process) -> str:
    steps = sorted(process.steps.all(), key=lambda s: s.order)
    tops = {s.pk: TOP + i * (BOX_H + GAP) for i, s in enumerate(steps)}
    index = {s.pk: i for i, s in enumerate(steps)}
    end_y = TOP + len(steps) * (BOX_H + GAP)
    height = end_y + 70
    title = _("Sơ đồ quy trình %(name)s, phiên bản %(version)s") % {"name": process.name, "version": process.version}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="process-title">',
        f'<title id="process-title">{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        _text(LEFT, 24, _short(process.name, 70), size=15, weight="bold"),
        _text(
            LEFT,
            42,
            _("Phiên bản %(v)s · %(scope)s · tổng %(total)s")
            % {
                "v": process.version,
                "scope": process.scope_label,
                "total": _duration_label(sum((s.duration_hours for s in steps), 0) or 0),
            },
            size=12,
            fill="#555",
        ),
    ]
    parts += [_box(step, tops[step.pk]) for step in steps]
    ends = 0
    for transition in sorted(process.transitions.all(), key=lambda t: (index.get(t.from_step_id, 0), t.action)):
        parts.append(_edge(transition, tops, index, end_y, ends))
        ends += transition.action in ENDING_ACTIONS and index.get(transition.from_step_id) != len(steps) - 1
    parts.append(f'<ellipse cx="{LEFT + BOX_W / 2}" cy="{end_y + 22}" rx="120" ry="20" fill="#fff" stroke="#333"/>')
    parts.append(_text(LEFT + BOX_W / 2, end_y + 27, _("Kết thúc: trả kết quả / liên thông"), size=12, anchor="middle"))
    parts.append("</svg>")
    return "\n".join(parts)


def _edge(transition, tops, index, end_y, ends) -> str:
    source = transition.from_step_id
    y0 = tops[source]
    if transition.action in ENDING_ACTIONS or transition.to_step_id is None:
        label = ActionKind(transition.action).label
        if index[source] == len(tops) - 1:
            return _line(LEFT + BOX_W / 2, y0 + BOX_H, LEFT + BOX_W / 2, end_y, label)
        x = LEFT + BOX_W + 30 + 14 * ends
        return (
            f'<path d="M{LEFT + BOX_W},{y0 + BOX_H / 2} C{x},{y0 + BOX_H / 2} {x},{end_y + 22} '
            f'{LEFT + BOX_W / 2 + 120},{end_y + 22}" fill="none" stroke="#333" marker-end="url(#arrow)"/>'
        )
    target_y = tops[transition.to_step_id]
    if transition.action == ActionKind.RETURN:
        depth = 20 + 12 * (index[source] - index[transition.to_step_id])
        back = _("Trả lại")  # outside the f-string, so makemessages finds it
        return (
            f'<path d="M{LEFT},{y0 + BOX_H / 2} C{LEFT - depth},{y0 + BOX_H / 2} {LEFT - depth},'
            f'{target_y + BOX_H / 2} {LEFT},{target_y + BOX_H / 2}" fill="none" stroke="#b3261e" '
            f'stroke-dasharray="5,4" marker-end="url(#arrow)"><title>{escape(back)}</title></path>'
        )
    label = ActionKind(transition.action).label if transition.action in MOVING_ACTIONS else transition.action
    if index[transition.to_step_id] == index[source] + 1:
        return _line(LEFT + BOX_W / 2, y0 + BOX_H, LEFT + BOX_W / 2, target_y, label)
    x = LEFT + BOX_W + 40
    return (
        f'<path d="M{LEFT + BOX_W},{y0 + BOX_H / 2} C{x},{y0 + BOX_H / 2} {x},{target_y + BOX_H / 2} '
        f'{LEFT + BOX_W},{target_y + BOX_H / 2}" fill="none" stroke="#333" marker-end="url(#arrow)">'
        f"<title>{escape(label)}</title></path>"
    )


def _line(x1, y1, x2, y2, label) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333" marker-end="url(#arrow)"/>' + _text(
        x1 + 8, (y1 + y2) / 2 + 4, label, size=11, fill="#333"
    )
