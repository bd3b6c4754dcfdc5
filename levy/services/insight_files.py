"""Downloads of the insight reports: xlsx sheets (through ``levy.exports``) and the
quarterly report as a Word document laid out like a committee paper (python-docx)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from levy.domain.fields import xml_safe
from levy.domain.insight.expiry_share import DirectorateExpiry
from levy.domain.insight.reconcile import KIND_TITLES
from levy.domain.months import format_day
from levy.exports import Sheet, xlsx_bytes
from levy.services.insight import ExpiryReport, QuarterlyReport, Reconciliation

EXPIRY_HEADER = (
    "Organisation",
    "Directorate",
    "Pay bill share %",
    "Generated",
    "Used",
    "Unused",
    "Expired share",
)


def expiry_rows(rows: list[DirectorateExpiry]) -> list[list[Any]]:
    return [
        [
            r.organisation,
            r.directorate,
            float(r.pay_bill_share),
            r.generated,
            r.used,
            r.unused,
            r.expired_share,
        ]
        for r in rows
    ]


def expiry_xlsx(report: ExpiryReport, rows: list[DirectorateExpiry] | None = None) -> bytes:
    rows = [r for _, r in report.rows] if rows is None else rows
    body = expiry_rows(rows)
    body.append(
        [
            "Council total",
            f"Financial year {report.label}",
            None,
            report.funds_in,
            report.total("used"),
            report.total("unused"),
            report.expired,
        ]
    )
    return xlsx_bytes({f"Expiry {report.label}": (EXPIRY_HEADER, body)})


def reconcile_sheets(result: Reconciliation) -> dict[str, Sheet]:
    months_header = (
        "Month",
        "Funds in (ours)",
        "Funds in (service)",
        "Payments (ours)",
        "Payments (service)",
        "Transfers (ours)",
        "Transfers (service)",
        "Expired (ours)",
        "Expired (service)",
    )
    months = [
        [
            f"{m.month:%Y-%m}",
            *m.funds_in,
            *m.payments,
            *m.transfers,
            *m.expired,
        ]
        for m in result.months
    ]
    problems_header = ("Kind", "Month", "ULN", "Reference", "Expected", "Actual", "Message")
    problems = [
        [
            p.kind,
            None if p.month is None else f"{p.month:%Y-%m}",
            p.uln,
            p.reference,
            p.expected,
            p.actual,
            p.message,
        ]
        for p in result.problems
    ]
    return {"Months": (months_header, months), "Problems": (problems_header, problems)}


def reconcile_xlsx(result: Reconciliation) -> bytes:
    return xlsx_bytes(reconcile_sheets(result))


INDICATOR_HEADER = (
    "Indicator",
    "Unit",
    "Target",
    "Actual",
    "Previous quarter",
    "RAG",
    "Direction",
    "Definition",
)


def _cell(unit: str, value: Any) -> Any:
    if value is None:
        return None
    if unit == "count":
        return int(value)
    if unit == "percent":
        return float(value)
    return Decimal(value)


def quarterly_xlsx(report: QuarterlyReport) -> bytes:
    rows = [
        [
            i.name,
            i.unit,
            _cell(i.unit, i.target),
            _cell(i.unit, i.actual),
            _cell(i.unit, i.previous),
            i.rag or "",
            i.direction or "",
            i.definition,
        ]
        for i in report.indicators
    ]
    sheets: dict[str, Sheet] = {f"Quarterly {report.quarter.key}": (INDICATOR_HEADER, rows)}
    sheets["Commentary"] = (("Quarter", "Commentary"), [[report.quarter.label, report.commentary]])
    return xlsx_bytes(sheets)


RAG_FILL = {"green": "00703C", "amber": "F47738", "red": "D4351C"}
ARROW = {"improving": "▲ improving", "worsening": "▼ worsening", "no change": "► no change"}


def quarterly_docx(report: QuarterlyReport, council: str, service: str) -> bytes:
    """A committee paper: title, summary, the table with RAG, commentary, definitions.

    Every text is passed through ``xml_safe``: a character Word's XML cannot hold, stored
    before such characters were refused, is dropped rather than failing the download."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    q = report.quarter
    doc.add_paragraph(xml_safe(council)).runs[0].bold = True
    doc.add_heading(xml_safe(f"{service}: quarterly report, {q.label}"), level=0)
    doc.add_paragraph(
        f"Period: {format_day(q.start)} to {format_day(q.end)}. Report of the apprenticeship "
        "levy team to the committee."
    )
    doc.add_heading("1. Summary", level=1)
    counts = {"green": 0, "amber": 0, "red": 0}
    for i in report.indicators:
        if i.rag:
            counts[i.rag] += 1
    with_target = sum(counts.values())
    doc.add_paragraph(
        f"Indicators with a target: {with_target}. Green: {counts['green']}, "
        f"amber: {counts['amber']}, red: {counts['red']}."
    )
    for i in report.indicators:
        if i.rag in ("amber", "red"):
            doc.add_paragraph(
                xml_safe(
                    f"{i.name}: {i.display(i.actual)} against a target of "
                    f"{i.display(i.target)} ({i.rag})."
                ),
                style="List Bullet",
            )
    doc.add_heading("2. Indicators", level=1)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells,
        ("Indicator", "Target", "Actual", "Previous quarter", "RAG", "Direction"),
        strict=True,
    ):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for i in report.indicators:
        cells = table.add_row().cells
        cells[0].text = xml_safe(i.name)
        cells[1].text = i.display(i.target) if i.target is not None else "No target"
        cells[2].text = i.display(i.actual)
        cells[3].text = i.display(i.previous)
        cells[4].text = (i.rag or "–").upper() if i.rag else "–"
        cells[5].text = ARROW.get(i.direction or "", "–")
        if i.rag:
            shade = OxmlElement("w:shd")
            shade.set(qn("w:val"), "clear")
            shade.set(qn("w:color"), "auto")
            shade.set(qn("w:fill"), RAG_FILL[i.rag])
            cells[4]._tc.get_or_add_tcPr().append(shade)
            run = cells[4].paragraphs[0].runs[0]
            run.bold = True
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    doc.add_heading("3. Commentary", level=1)
    for paragraph in (report.commentary or "No commentary has been written yet.").split("\n\n"):
        doc.add_paragraph(xml_safe(paragraph.strip()))
    doc.add_heading("4. Definitions", level=1)
    for i in report.indicators:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(xml_safe(f"{i.name}: ")).bold = True
        p.add_run(xml_safe(i.definition))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


__all__ = [
    "KIND_TITLES",
    "expiry_xlsx",
    "quarterly_docx",
    "quarterly_xlsx",
    "reconcile_xlsx",
]
