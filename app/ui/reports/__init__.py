"""The reports area (گزارش‌ها): a dock with the fixed reports and the pivot as tables, the Jalali
period / rep / team / pipeline filters, drill-down from any cell to its records, and XLSX export.
Figures come from app/services/reports, computed off the GUI thread."""

DASHBOARD = ("dashboard", "main")  # the dashboard's tab: one, remembered across a restart like a record's
DASHBOARD_TITLE = "داشبورد فروش"
