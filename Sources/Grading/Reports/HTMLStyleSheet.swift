/// The stylesheet every HTML report inlines: one place for colours and layout, so the
/// learner pages and the class summary look like one product. Plain CSS that any browser
/// since 2015 renders; nothing to load.
///
/// Learner names and one-line summaries come from learners and programs and can be one
/// long word: text may break anywhere (`overflow-wrap: anywhere`, which, unlike
/// `break-word`, also lets a table column shrink), and flex children may shrink below their
/// content (`min-width: 0`), so nothing runs past its card.
enum HTMLStyleSheet {
    static let css = """
    :root { --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa;
            --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
            --error: #9a6700; --error-bg: #fff8c5; --skip: #57606a; --skip-bg: #eaeef2;
            --hidden: #8250df; --hidden-bg: #fbefff; --accent: #0969da; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #eef1f4; color: var(--ink); overflow-wrap: anywhere;
           font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
    .page { max-width: 1040px; margin: 0 auto; padding: 28px 24px 48px; }
    a { color: var(--accent); text-decoration: none; }
    a:hover { text-decoration: underline; }
    h1 { font-size: 28px; margin: 4px 0 6px; }
    h2 { font-size: 19px; margin: 32px 0 12px; }
    h3 { font-size: 16px; margin: 0; display: inline; }
    pre, code, .mono { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
    pre { background: #0d1117; color: #e6edf3; padding: 10px 12px; border-radius: 6px; margin: 4px 0 10px;
          white-space: pre-wrap; word-break: break-word; max-height: 420px; overflow: auto; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-bottom: 14px; }
    .crumbs { color: var(--muted); font-size: 13px; }
    .headline { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; }
    .headline > *, .stage-head > * { min-width: 0; }
    .score { font-size: 22px; font-weight: 600; }
    .muted { color: var(--muted); }
    .meter { height: 10px; background: var(--skip-bg); border-radius: 5px; overflow: hidden; margin: 12px 0 14px; }
    .meter .fill { height: 100%; background: var(--pass); }
    .meter.low .fill { background: var(--fail); }
    .meter.small { height: 8px; width: 120px; margin: 0; display: inline-block; vertical-align: middle; }
    .facts { border-collapse: collapse; font-size: 14px; }
    .facts th { text-align: left; color: var(--muted); font-weight: normal; padding: 2px 18px 2px 0; vertical-align: top;
                white-space: nowrap; }
    .facts td { padding: 2px 0; }
    .badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 9px; border-radius: 999px;
             text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; }
    .badge.passed { color: var(--pass); background: var(--pass-bg); }
    .badge.failed { color: var(--fail); background: var(--fail-bg); }
    .badge.error { color: var(--error); background: var(--error-bg); }
    .badge.notrun { color: var(--skip); background: var(--skip-bg); }
    .badge.hidden { color: var(--hidden); background: var(--hidden-bg); }
    .badge.big { font-size: 14px; padding: 3px 12px; }
    .stage { border-left: 5px solid var(--line); }
    .stage.passed { border-left-color: var(--pass); }
    .stage.failed { border-left-color: var(--fail); }
    .stage.notrun { border-left-color: var(--skip-bg); opacity: .85; }
    .stage-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; margin-bottom: 8px; }
    .stage-head .points { margin-left: auto; color: var(--muted); font-size: 14px; }
    table.grid { width: 100%; border-collapse: collapse; font-size: 14px; }
    table.grid th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); padding: 6px 8px; }
    table.grid td { border-bottom: 1px solid var(--soft); padding: 6px 8px; vertical-align: top; }
    table.grid td.num, table.grid th.num { text-align: right; white-space: nowrap; }
    table.grid th.status { width: 120px; }
    table.grid th.num { width: 90px; }
    .nowrap { white-space: nowrap; }
    table.grid td.name { min-width: 6em; }
    .failure { background: var(--fail-bg); border-radius: 6px; padding: 10px 12px; margin: 2px 0 6px; }
    .failure.error { background: var(--error-bg); }
    .failure .message { font-weight: 600; margin: 0 0 6px; }
    .failure .label { font-size: 12px; font-weight: 600; text-transform: uppercase; color: var(--muted); margin-top: 6px; }
    .failure .hint { margin: 8px 0 0; }
    .histogram { display: flex; align-items: flex-end; gap: 8px; height: 190px; padding-top: 10px; }
    .histogram .column { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: flex-end; height: 100%; }
    .histogram .bar { width: 100%; background: var(--accent); border-radius: 4px 4px 0 0; min-height: 2px; }
    .histogram .count { font-size: 13px; font-weight: 600; margin-bottom: 3px; }
    .histogram .label { font-size: 12px; color: var(--muted); margin-top: 4px; white-space: nowrap; }
    .stats { display: flex; flex-wrap: wrap; gap: 14px; }
    .stat { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 16px; flex: 0 1 auto; min-width: 150px; max-width: 100%; }
    .stat .value { font-size: 22px; font-weight: 600; }
    .stat .name { font-size: 13px; color: var(--muted); }
    """
}
