"""The picture as one standalone HTML page: the SVG inline, and a click on a state shows its input
and output for each time it was entered (as the console's side panel does). No external assets:
the style sheet, the script and the data (a JSON island) are in the page, so it opens offline."""

from __future__ import annotations

import json
from html import escape

from . import svg
from .model import Graph
from .overlay import Overlay

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: Helvetica, Arial, sans-serif; margin: 16px; color: #16191f; }}
  #picture {{ display: flex; gap: 16px; align-items: flex-start; }}
  #graph svg .state {{ cursor: pointer; }}
  #graph svg .selected > rect {{ stroke: #0073bb; stroke-width: 3; }}
  #details {{ min-width: 320px; max-width: 520px; border-left: 1px solid #d5dbdb; padding-left: 16px; }}
  #details pre {{ background: #f2f3f3; padding: 8px; overflow: auto; max-height: 320px; font-size: 12px; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="status">{status}</p>
<div id="picture">
<div id="graph">
{svg}</div>
<div id="details"><p>Click a state to see its input and output.</p></div>
</div>
<script type="application/json" id="state-runs">{data}</script>
<script>
(function () {{
  var runs = JSON.parse(document.getElementById("state-runs").textContent);
  var panel = document.getElementById("details");
  function add(tag, text) {{ var el = document.createElement(tag); el.textContent = text; panel.appendChild(el); }}
  function show(group) {{
    document.querySelectorAll("#graph .selected").forEach(function (g) {{ g.classList.remove("selected"); }});
    group.classList.add("selected");
    var name = group.getAttribute("data-state"), info = runs[name];
    panel.textContent = "";
    add("h2", name);
    add("p", group.getAttribute("data-type"));
    if (!info || !info.runs.length) {{ add("p", "Not run."); return; }}
    info.runs.forEach(function (run, i) {{
      if (info.runs.length > 1) add("h3", "Entry " + (i + 1));
      add("h4", "Input");
      add("pre", JSON.stringify(run.input, null, 2));
      add("h4", "Output");
      add("pre", "output" in run ? JSON.stringify(run.output, null, 2) : "(none: it did not exit)");
    }});
  }}
  document.querySelectorAll("#graph .state").forEach(function (group) {{
    group.addEventListener("click", function (event) {{ event.stopPropagation(); show(group); }});
  }});
}})();
</script>
</body>
</html>
"""


def render(graph: Graph, overlay: Overlay | None, *, title: str | None = None) -> str:
    """A page with the SVG of ``graph`` and, per state, the runs of ``overlay`` on click."""
    title = title or ("Execution" if overlay is not None else "State machine")
    runs = (
        {} if overlay is None else {name: {"runs": run.runs} for name, run in sorted(overlay.states.items())}
    )
    # every "<" as \u003c: neither "</script>" nor "<!--" in a state's input can end the island
    data = json.dumps(runs, sort_keys=True).replace("<", "\\u003c")
    status = "Definition only" if overlay is None else f"Execution status: {overlay.status}"
    if overlay is not None and overlay.error:
        status += f" ({overlay.error})"
    return PAGE.format(title=escape(title), status=escape(status), svg=svg.render(graph, overlay), data=data)
