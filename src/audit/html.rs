//! The audit as one self-contained HTML page: no network, no external script or font.
//! A summary per family, then per rule the resources with their verdicts (filterable by
//! verdict and text), each finding's source excerpt, and the key inventory drawn as an
//! inline SVG laid out here.

use super::{Audit, Counts, Verdict};
use crate::inventory::Inventory;
use crate::model::kms::Resolution;
use std::fmt::Write as _;

/// Text escaped for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5rem;color:#1b1f24;max-width:1200px}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.88rem}
th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.rows{table-layout:fixed}table.rows col.v{width:8rem}table.rows col.w{width:40%}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.v{font-weight:600;white-space:nowrap}.v-pass{color:#1a7f37}.v-fail{color:#cf222e}
.v-undecided{color:#9a6700}.v-suppressed,.v-baselined{color:#6e7781}.v-not_applicable{color:#57606a}
pre{background:#f6f8fa;padding:.35rem;margin:.2rem 0;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d0d7de}
.filters label{margin-right:.8rem}.hidden{display:none}
.muted{color:#57606a;font-size:.85rem}svg{max-width:100%;height:auto;border:1px solid #d0d7de}
@media print{.filters{display:none}.hidden{display:table-row}section{break-inside:avoid-page}a{color:inherit}}
";

const SCRIPT: &str = "
(function(){
  function apply(){
    var on={};document.querySelectorAll('input[data-verdict]').forEach(function(b){on[b.dataset.verdict]=b.checked;});
    var q=(document.getElementById('q').value||'').toLowerCase();
    var shown=0;
    document.querySelectorAll('tr[data-verdict]').forEach(function(r){
      var ok=on[r.dataset.verdict]&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
      r.classList.toggle('hidden',!ok);if(ok){shown++;}
    });
    document.getElementById('shown').textContent=String(shown);
  }
  document.querySelectorAll('.filters input').forEach(function(i){i.addEventListener('input',apply);});
  apply();
})();
";

fn counts_cells(c: &Counts) -> String {
    let mut s = String::new();
    for v in Verdict::ALL {
        let _ = write!(
            s,
            "<td class=\"n\" data-count=\"{}\">{}</td>",
            v.as_str(),
            c.get(v)
        );
    }
    let _ = write!(s, "<td class=\"n\" data-count=\"total\">{}</td>", c.total);
    s
}

fn counts_header(first: &str) -> String {
    let mut s = format!("<tr><th>{first}</th>");
    for v in Verdict::ALL {
        let _ = write!(s, "<th>{}</th>", v.as_str().replace('_', " "));
    }
    s.push_str("<th>total</th></tr>");
    s
}

/// The key inventory as an SVG: aliases on the left, keys in the middle, consumers on the
/// right; a dashed line for consumers that store the key at creation.
pub fn inventory_svg(inv: &Inventory) -> String {
    const ROW: i64 = 26;
    const W: i64 = 1180;
    let (ax, kx, cx, box_w) = (10, 400, 790, 380);
    let mut body = String::new();
    let mut y = 10;
    for k in &inv.keys {
        let lines = k.aliases.len().max(k.consumers.len()).max(1) as i64;
        let height = lines * ROW;
        let key_y = y + (height - ROW) / 2;
        let _ = write!(
            body,
            "<g class=\"key\"><rect x=\"{kx}\" y=\"{key_y}\" width=\"{box_w}\" height=\"22\" rx=\"3\" fill=\"#ddf4ff\" stroke=\"#0969da\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            kx + 6,
            key_y + 15,
            esc(&format!("{} — {}", k.address, k.rotation))
        );
        for (i, a) in k.aliases.iter().enumerate() {
            let ay = y + i as i64 * ROW;
            let _ = write!(
                body,
                "<rect x=\"{ax}\" y=\"{ay}\" width=\"{}\" height=\"22\" rx=\"11\" fill=\"#fff8c5\" stroke=\"#9a6700\"/><text x=\"{}\" y=\"{}\">{}</text><line x1=\"{}\" y1=\"{}\" x2=\"{kx}\" y2=\"{}\" stroke=\"#57606a\"/>",
                box_w - 60,
                ax + 8,
                ay + 15,
                esc(a),
                ax + box_w - 60,
                ay + 11,
                key_y + 11
            );
        }
        for (i, c) in k.consumers.iter().enumerate() {
            let cy = y + i as i64 * ROW;
            let dash = if c.resolution == Resolution::AtCreation {
                " stroke-dasharray=\"5,4\""
            } else {
                ""
            };
            let _ = write!(
                body,
                "<rect x=\"{cx}\" y=\"{cy}\" width=\"{box_w}\" height=\"22\" fill=\"#f6f8fa\" stroke=\"#57606a\"/><text x=\"{}\" y=\"{}\">{}</text><line x1=\"{cx}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#57606a\"{dash}/>",
                cx + 6,
                cy + 15,
                esc(&format!("{}: {} (by {})", c.resource, c.attribute, c.by)),
                cy + 11,
                kx + box_w,
                key_y + 11
            );
        }
        y += height + ROW / 2;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"key inventory\" viewBox=\"0 0 {W} {}\" width=\"{W}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"11\">{body}</svg>",
        y + 10,
        y + 10
    )
}

pub fn render(audit: &Audit) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"><title>iacguard audit</title><style>");
    s.push_str(STYLE);
    s.push_str("</style></head><body>\n");
    let _ = writeln!(
        s,
        "<h1>iacguard audit</h1><p class=\"muted\">Report date {} · profile {} · {} {} · schema version {}</p>",
        esc(&audit.today),
        audit.profile,
        audit.tool.name,
        audit.tool.version,
        audit.schema_version
    );
    s.push_str("<section id=\"summary\"><h2>Summary</h2><table>");
    s.push_str(&counts_header("family"));
    for (f, c) in &audit.summary.families {
        let _ = write!(
            s,
            "<tr data-family=\"{f}\"><td>{f}</td>{}</tr>",
            counts_cells(c)
        );
    }
    let _ = write!(
        s,
        "<tr data-family=\"all\"><th>all</th>{}</tr></table>",
        counts_cells(&audit.summary.total)
    );
    if !audit.summary.environments.is_empty() {
        s.push_str("<table>");
        s.push_str(&counts_header("environment"));
        for (e, c) in &audit.summary.environments {
            let _ = write!(
                s,
                "<tr data-environment=\"{}\"><td>{}</td>{}</tr>",
                esc(e),
                esc(e),
                counts_cells(c)
            );
        }
        s.push_str("</table>");
    }
    s.push_str("</section>\n<div class=\"filters\">Show: ");
    for v in Verdict::ALL {
        let _ = write!(
            s,
            "<label><input type=\"checkbox\" checked data-verdict=\"{0}\" id=\"f-{0}\"> {1}</label>",
            v.as_str(),
            v.as_str().replace('_', " ")
        );
    }
    s.push_str("<label>text <input type=\"search\" id=\"q\"></label> <span class=\"muted\"><span id=\"shown\"></span> rows shown</span></div>\n");
    s.push_str("<section id=\"controls\"><h2>Controls</h2>");
    for c in &audit.controls {
        let _ = write!(
            s,
            "<section class=\"control\" id=\"{0}\"><h3>{0} {1}</h3><p class=\"muted\">{2} · {3} · {4} · subject {5} · runs {6}</p><table>{7}<tr><td>{0}</td>{8}</tr></table>",
            esc(&c.id),
            esc(&c.name),
            esc(&c.summary),
            c.kind,
            c.severity,
            esc(&c.subject),
            esc(&c.scope),
            counts_header("rule"),
            counts_cells(&c.counts)
        );
        if !c.resources.is_empty() {
            s.push_str(
                "<table class=\"rows\"><colgroup><col class=\"v\"><col><col><col class=\"w\"></colgroup><tr><th>verdict</th><th>resource</th><th>where</th><th>why</th></tr>",
            );
            for r in &c.resources {
                let mut why = String::new();
                if let Some(reason) = &r.reason {
                    why.push_str(&esc(reason));
                }
                if let Some(at) = &r.at {
                    let _ = write!(why, " <span class=\"muted\">({})</span>", esc(at));
                }
                for f in &r.findings {
                    let _ = write!(
                        why,
                        "<div>{}: {} <span class=\"muted\">({}:{})</span></div><pre>{}</pre>",
                        f.severity,
                        esc(&f.message),
                        esc(&f.path),
                        f.line,
                        esc(&f.excerpt)
                    );
                }
                let envs = if r.environments.is_empty() {
                    String::new()
                } else {
                    format!(
                        " <span class=\"muted\">[{}]</span>",
                        esc(&r.environments.join(", "))
                    )
                };
                let _ = write!(
                    s,
                    "<tr data-verdict=\"{0}\"><td class=\"v v-{0}\">{1}</td><td>{2}{3}</td><td>{4}:{5}</td><td>{6}</td></tr>",
                    r.verdict.as_str(),
                    r.verdict.as_str().replace('_', " "),
                    esc(&r.address),
                    envs,
                    esc(&r.path),
                    r.line,
                    why
                );
            }
            s.push_str("</table>");
        }
        s.push_str("</section>\n");
    }
    s.push_str("</section>\n<section id=\"keys\"><h2>Key inventory</h2>");
    s.push_str(&inventory_svg(&audit.keys));
    s.push_str("<table><tr><th>key</th><th>environment</th><th>state</th><th>origin</th><th>rotation</th><th>aliases</th><th>consumers</th></tr>");
    for k in &audit.keys.keys {
        let rotation = match (&k.rotation_date, k.rotation_status) {
            (Some(d), Some(st)) => format!("{} · last {d} · {st}", k.rotation),
            (None, Some(st)) => format!("{} · {st}", k.rotation),
            _ => k.rotation.clone(),
        };
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
            esc(&k.address),
            esc(k.environment.as_deref().unwrap_or("unknown")),
            k.enabled,
            k.origin,
            esc(&rotation),
            k.valid_to
                .as_deref()
                .map(|v| format!(" · valid to {}", esc(v)))
                .unwrap_or_default(),
            esc(&k.aliases.join(", ")),
            esc(&k
                .consumers
                .iter()
                .map(|c| format!("{} ({})", c.resource, c.attribute))
                .collect::<Vec<_>>()
                .join(", "))
        );
    }
    s.push_str("</table></section>\n<script>");
    s.push_str(SCRIPT);
    s.push_str("</script></body></html>\n");
    s
}
