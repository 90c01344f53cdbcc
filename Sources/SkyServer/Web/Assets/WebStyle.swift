/// The page's stylesheet: system fonts, one accent colour, state colours shared by badges and bars.
enum WebStyle {
    static let source = """
        :root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --card: #fff; --accent: #2563eb;
          --waiting: #a16207; --queued: #6b7280; --running: #2563eb; --succeeded: #15803d; --failed: #b91c1c; --cancelled: #78716c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
          color: var(--fg); background: var(--bg); }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        header.top { display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 48px; background: #0f172a; color: #e2e8f0; }
        header.top .brand { color: #fff; font-weight: 700; font-size: 17px; letter-spacing: .5px; }
        header.top nav { display: flex; gap: 4px; }
        header.top nav a { color: #cbd5e1; padding: 6px 10px; border-radius: 6px; }
        header.top nav a.active, header.top nav a:hover { background: #1e293b; color: #fff; text-decoration: none; }
        header.top .user { margin-left: auto; display: flex; align-items: center; gap: 12px; color: #94a3b8; font-size: 13px; }
        header.top form { margin: 0; }
        button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid var(--line); background: #fff; padding: 5px 12px; }
        button:disabled { opacity: .5; cursor: default; }
        button.link { background: none; border: 1px solid #334155; color: #e2e8f0; padding: 3px 10px; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.danger { color: var(--failed); border-color: #fecaca; }
        main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 48px; }
        h1 { font-size: 21px; margin: 4px 0 14px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
        h2 { font-size: 15px; margin: 26px 0 10px; color: #334155; text-transform: uppercase; letter-spacing: .6px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
        table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 10px;
          overflow: hidden; }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
        th { background: #f1f5f9; font-weight: 600; font-size: 12px; color: #475569; text-transform: uppercase; letter-spacing: .4px; }
        tr:last-child td { border-bottom: none; }
        tbody tr:hover { background: #f8fafc; }
        td.nowrap { white-space: nowrap; }
        h2 .muted { text-transform: none; letter-spacing: 0; font-weight: 400; font-size: 13px; margin-left: 6px; }
        h1 .kind { font-size: 13px; font-weight: 600; color: #475569; background: #e2e8f0; border-radius: 6px; padding: 2px 8px; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .muted { color: var(--muted); }
        .se { color: var(--muted); font-size: 12px; }
        .best { font-weight: 700; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; }
        .badge.waiting { background: var(--waiting); } .badge.queued { background: var(--queued); }
        .badge.running { background: var(--running); } .badge.succeeded { background: var(--succeeded); }
        .badge.failed { background: var(--failed); } .badge.cancelled { background: var(--cancelled); }
        .tag { display: inline-block; margin: 2px 4px 0 0; padding: 0 6px; border-radius: 4px; background: #eef2ff; color: #3730a3;
          font-size: 11px; white-space: nowrap; }
        .progress { display: inline-block; vertical-align: middle; width: 120px; height: 8px; border-radius: 4px; background: #e5e7eb;
          overflow: hidden; margin-right: 8px; }
        .progress > div { height: 100%; background: var(--running); }
        .progress.succeeded > div { background: var(--succeeded); } .progress.failed > div { background: var(--failed); }
        .progress.cancelled > div { background: var(--cancelled); }
        .progress-text { font-size: 12px; color: var(--muted); }
        .stacked { display: flex; width: 220px; height: 10px; border-radius: 5px; overflow: hidden; background: #e5e7eb; }
        .stacked span { display: block; height: 100%; }
        .stacked .waiting { background: var(--waiting); } .stacked .queued { background: var(--queued); }
        .stacked .running { background: var(--running); } .stacked .succeeded { background: var(--succeeded); }
        .stacked .failed { background: var(--failed); } .stacked .cancelled { background: var(--cancelled); }
        .filters { display: flex; gap: 6px; margin-bottom: 12px; flex-wrap: wrap; align-items: center; }
        .filters a { padding: 3px 10px; border-radius: 999px; border: 1px solid var(--line); background: #fff; color: var(--fg); font-size: 13px; }
        .filters a.active { background: var(--fg); color: #fff; border-color: var(--fg); }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px 20px; margin: 0; }
        dl.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); }
        dl.facts dd { margin: 2px 0 0; word-break: break-word; }
        pre { margin: 0; font: 12.5px/1.5 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace; }
        pre.json { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; overflow: auto; max-height: 420px; }
        pre.error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 10px; padding: 10px 14px; white-space: pre-wrap; }
        pre.log { background: #0f172a; color: #e2e8f0; border-radius: 10px; padding: 10px 14px; min-height: 64px; max-height: 420px;
          overflow: auto; white-space: pre-wrap; }
        pre.log .line .at { color: #64748b; margin-right: 10px; }
        pre.log .line.warning span:last-child { color: #fbbf24; } pre.log .line.error span:last-child { color: #f87171; }
        pre.log .empty { color: #64748b; }
        .plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 14px; }
        figure.plot { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 4px; }
        figure.plot figcaption { font-weight: 600; font-size: 13px; display: flex; justify-content: space-between; gap: 10px; flex-wrap: wrap; }
        figure.plot .legend { font-weight: 400; color: var(--muted); font-size: 12px; }
        figure.plot .key { margin-left: 10px; } figure.plot .key i { display: inline-block; width: 10px; height: 3px; margin-right: 4px;
          vertical-align: middle; }
        figure.plot svg { width: 100%; height: auto; display: block; }
        svg .grid { stroke: #eef2f7; } svg .axis { stroke: #94a3b8; } svg .tick { fill: #6b7280; font-size: 11px; }
        .stages { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
        .stage h3 { margin: 0 0 6px; font-size: 14px; display: flex; justify-content: space-between; }
        .stage .stacked { width: 100%; margin: 6px 0 8px; }
        .stage ul { list-style: none; margin: 0; padding: 0; font-size: 13px; max-height: 220px; overflow: auto; }
        .stage li { display: flex; justify-content: space-between; gap: 8px; padding: 2px 0; border-top: 1px solid #f1f5f9; }
        .actions { display: flex; gap: 8px; align-items: center; margin-left: auto; font-size: 13px; }
        .login { max-width: 420px; margin: 80px auto; }
        .login input { width: 100%; font: 14px ui-monospace, monospace; padding: 8px 10px; border: 1px solid #cbd5e1; border-radius: 6px; margin: 8px 0 12px; }
        .login p { color: var(--muted); }
        .notice { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 6px; padding: 8px 10px; }
        .empty-state { padding: 28px; text-align: center; color: var(--muted); }
        .pager { margin-top: 10px; }
        """
}
