//! The stylesheets, inline in each page so that a page needs nothing else.
//! Both share the palette (`--accent` is Okabe–Ito blue, as in the charts), the
//! table and figure classes of [`super::html`] and the print rules' spirit; the
//! claim page is denser, to fit the committee's A4.

/// The advisor's report.
pub(crate) const REPORT: &str = "
:root { --ink: #1d1d1b; --muted: #5b5b5b; --line: #d6d6d6; --band: #f4f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif;
       color: var(--ink); margin: 0; line-height: 1.5; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 1.9rem; margin: 0.2em 0; }
h2 { font-size: 1.45rem; margin-top: 2.2em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.15rem; margin-top: 1.6em; }
h4 { font-size: 1rem; margin: 1.2em 0 0.4em; }
p.meta, .muted { color: var(--muted); }
nav ol { columns: 2; padding-left: 1.2em; }
div.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--band); }
table.summary td:first-child { white-space: nowrap; font-weight: 600; }
table.parameters td:nth-child(5) { min-width: 22em; }
table.parameters td:nth-child(2) { min-width: 9em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.n { white-space: normal; }
.sentences p { margin: 0.3em 0; }
.scenario-summary { border-left: 4px solid var(--accent); padding: 2px 14px; margin: 12px 0; background: #fafbfc; }
figure.chart { margin: 12px 0 18px; }
figure.chart figcaption { font-size: 0.9rem; color: var(--muted); }
svg.chart-svg { max-width: 100%; height: auto; display: block; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px; }
.multiples figure.chart { margin: 0; }
details { margin: 4px 0 12px; }
details summary { cursor: pointer; color: var(--accent); }
code, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.85rem; word-break: break-all; }
.monitor-status { border-left: 4px solid var(--accent); padding: 2px 14px; margin: 12px 0; background: #fafbfc; }
.verdict { display: inline-block; padding: 0 8px; border: 1px solid; border-radius: 10px; font-weight: 600;
           white-space: nowrap; }
.verdict-ok { background: #e2f3ec; border-color: #009E73; color: #00563F; }
.verdict-watch { background: #fdf1d2; border-color: #E69F00; color: #5C4000; }
.verdict-off { background: #fbe3d6; border-color: #D55E00; color: #7A2F00; }
.decision-warning { border-left: 4px solid #D55E00; background: #fbe3d6; color: #5a2400; padding: 6px 14px;
                    margin: 12px 0; }
table.evppi .mono { word-break: normal; overflow-wrap: anywhere; }
table.evppi td:first-child .mono { white-space: nowrap; }
table.decision td:nth-child(4) { white-space: nowrap; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { details { display: block; } nav { display: none; } h2 { break-before: page; } }
";

/// The committee's claim page.
pub(crate) const CLAIM: &str = "
:root { --ink: #1d1d1b; --muted: #5b5b5b; --line: #d6d6d6; --band: #f4f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif;
       color: var(--ink); margin: 0; line-height: 1.45; background: #fff; font-size: 15px; }
main { max-width: 1040px; margin: 0 auto; padding: 20px 24px 48px; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 10px; padding-bottom: 6px; }
h1 { font-size: 1.6em; margin: 0.1em 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.3em 0 0.4em; border-bottom: 1px solid var(--line); padding-bottom: 3px; }
h3 { font-size: 1em; margin: 0.9em 0 0.3em; }
p { margin: 0.35em 0; }
p.applicant { font-weight: 600; }
.meta, .muted, .note { color: var(--muted); }
.note { font-size: 0.85em; }
div.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; font-size: 0.88em; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.n { white-space: normal; }
table.verdicts { width: 100%; }
table.verdicts td:first-child { font-weight: 600; min-width: 9em; }
table.verdicts td.n { white-space: normal; }
table.effects code, table.costs code { word-break: normal; overflow-wrap: break-word; }
table.verdicts td .muted { font-weight: 400; font-size: 0.85em; }
.badge { display: inline-block; white-space: nowrap; font-weight: 700; padding: 0 8px; border-radius: 10px;
         border: 2px solid; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge.realistisch { color: #00486f; background: #e1f0fa; border-color: #0072B2; }
.badge.optimistisch { color: #5c3f00; background: #fcefcf; border-color: #E69F00; border-style: dashed; }
.badge.onrealistisch { color: #7a3500; background: #fbe3d4; border-color: #D55E00; border-width: 3px; border-style: double; }
.sentences p { margin: 0.3em 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 4px 24px; }
.claim-chart { break-inside: avoid; }
figure.chart { margin: 4px 0 10px; }
figure.chart figcaption { font-size: 0.85em; color: var(--muted); }
svg.chart-svg { max-width: 100%; height: auto; display: block; }
details { margin: 2px 0 8px; font-size: 0.9em; }
details summary { cursor: pointer; color: var(--accent); }
code, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.82em; word-break: break-all; }
footer { margin-top: 32px; color: var(--muted); font-size: 0.82em; border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  div.table-wrap { overflow: visible; }
  th, td { padding: 2px 5px; }
  details summary { color: var(--muted); }
  #verdeling { break-before: page; }
  .charts { grid-template-columns: 1fr 1fr; }
}
";
