"""PDF primitives shared by every document the system prints: a leaf package (not a Django app) that imports
nothing from the apps but `common`.

- `fonts`: finds and registers the Vietnamese serif TTF (Liberation Serif or DejaVu Serif) used by the documents
  and by the visible signature stamps (`signing`).
- `layout`: the administrative document layout of Decree 30/2020/NĐ-CP (national header, agency names laid out by
  word groups, titles, signature blocks), paragraph styles, grids, the QR code, Vietnamese dates, `build_pdf`.

The documents themselves live with their context: the forms of Circular 01/2018/TT-VPCP in `dossiers.forms_pdf`,
the result document in `results.rendering`, the e-receipt in `payments.receipts`.
"""
