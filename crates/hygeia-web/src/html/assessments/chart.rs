//! The summary chart: one horizontal stacked bar per objective or standard, drawn as SVG on
//! the server so that it prints and needs no JavaScript. Colours follow the grade tags;
//! every bar also carries its numbers as text, so colour is never the only signal.

use hygeia_domain::assessments::scorecard::{GroupSummary, Scorecard};

const WIDTH: u32 = 640;
const LABEL: u32 = 220;
const BAR: u32 = 22;
const GAP: u32 = 14;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Segments of one group's bar: (count, colour, what).
fn segments(g: &GroupSummary, graded: bool) -> Vec<(usize, &'static str, &'static str)> {
    let t = &g.tally;
    if graded {
        vec![
            (t.achieved, "#007f3b", "achieved"),
            (t.partially_achieved, "#ffb81c", "partially achieved"),
            (t.not_achieved, "#d5281b", "not achieved"),
            (t.unassessed, "#d8dde0", "not yet assessed"),
        ]
    } else {
        vec![
            (t.met, "#007f3b", "met"),
            (t.not_met, "#d5281b", "not met"),
            (t.not_applicable, "#768692", "not applicable"),
            (
                t.items - t.met - t.not_met - t.not_applicable,
                "#d8dde0",
                "not answered",
            ),
        ]
    }
}

/// The chart as an SVG element, with a title and description for screen readers.
pub fn svg(card: &Scorecard) -> String {
    let graded = !card.outcomes.is_empty();
    let rows = u32::try_from(card.groups.len()).unwrap_or(0);
    let height = rows * (BAR + GAP) + GAP;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" class=\"hygeia-chart\">\
         <title id=\"chart-title\">Results by {}</title><desc id=\"chart-desc\">",
        if graded { "objective" } else { "group" }
    );
    for g in &card.groups {
        let parts: Vec<String> = segments(g, graded)
            .iter()
            .map(|(n, _, what)| format!("{n} {what}"))
            .collect();
        out.push_str(&escape(&format!("{} {}: {}. ", g.ref_id, g.title, parts.join(", "))));
    }
    out.push_str("</desc>");
    let span = WIDTH - LABEL - 10;
    for (i, g) in card.groups.iter().enumerate() {
        let y = GAP + u32::try_from(i).unwrap_or(0) * (BAR + GAP);
        let full = format!("{} {}", g.ref_id, g.title);
        let label: String = if full.chars().count() > 28 {
            format!("{}…", full.chars().take(27).collect::<String>().trim_end())
        } else {
            full
        };
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#212b32\">{}</text>",
            y + 16,
            escape(&label)
        ));
        let total = g.tally.items.max(1);
        let mut x = LABEL;
        for (n, colour, what) in segments(g, graded) {
            if n == 0 {
                continue;
            }
            let w = u32::try_from(n * span as usize / total).unwrap_or(0).max(2);
            out.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{BAR}\" fill=\"{colour}\"><title>{n} {what}</title></rect>"
            ));
            if w >= 18 {
                let text = if colour == "#ffb81c" || colour == "#d8dde0" {
                    "#212b32"
                } else {
                    "#ffffff"
                };
                out.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{text}\">{n}</text>",
                    x + 5,
                    y + 16
                ));
            }
            x += w;
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hygeia_domain::assessments::scorecard::Tally;

    #[test]
    fn bars_carry_their_numbers_and_escape_titles() {
        let card = Scorecard {
            outcomes: Vec::new(),
            groups: vec![GroupSummary {
                ref_id: "1".into(),
                title: "People & <data>".into(),
                tally: Tally {
                    items: 4,
                    answered: 3,
                    met: 2,
                    not_met: 1,
                    ..Tally::default()
                },
            }],
            total: Tally::default(),
            automatic_fails: Vec::new(),
            requirements: (0, 0),
            sections: Vec::new(),
            status: None,
            gaps: Vec::new(),
            approaching_gaps: Vec::new(),
            unplanned: Vec::new(),
        };
        let svg = svg(&card);
        assert!(svg.contains("People &amp; &lt;data&gt;"));
        assert!(svg.contains("2 met, 1 not met, 0 not applicable, 1 not answered"));
        assert!(!svg.contains("<data>"));
    }
}
