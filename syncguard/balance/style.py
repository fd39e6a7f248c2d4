"""The stylesheet the balance section adds to the HTML report (the page's own CSS is shared)."""

STYLE = """
.balance { display: grid; gap: 16px; margin: 0 0 24px; }
.balance .lead { margin: 0 0 6px; font-size: 15px; font-weight: 600; }
.balance .card p { margin: 0 0 6px; }
.balance h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin: 14px 0 8px; font-weight: 600; }
.readiness { list-style: none; margin: 0; padding: 0; display: flex; gap: 10px; flex-wrap: wrap; }
.readiness li { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px;
  background: #f9fafb; }
.readiness li b { font-size: 18px; margin-right: 4px; }
.readiness li.open { background: var(--warning-bg); border-color: var(--warning-line); }
.readiness li.open b { color: var(--warning); }
.readiness li.done b { color: var(--ok); }
.readiness .code { color: var(--muted); font-size: 12px; margin-left: 4px; }
.place h2 { font-size: 14px; color: var(--ink); text-transform: none; letter-spacing: 0; }
.chart-box { margin: 0 0 12px; }
.chart-box svg { width: 100%; max-width: 900px; height: auto; display: block; }
.balance-table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.balance-table th, .balance-table td { padding: 5px 10px; border-bottom: 1px solid var(--line);
  text-align: right; white-space: nowrap; }
.balance-table th[scope=row], .balance-table thead th:first-child { text-align: left; }
.balance-table thead th { color: var(--muted); font-weight: 500; font-size: 12px; }
.balance-table tfoot th, .balance-table tfoot td { font-weight: 700; border-bottom: 0; }
.balance-table tr.unexplained td, .balance-table tr.unexplained th { background: var(--error-bg); }
.balance-table tr.unexplained td:nth-child(8) { color: var(--error); font-weight: 700; }
.notes { margin: 0; padding-left: 18px; color: var(--muted); }
"""
