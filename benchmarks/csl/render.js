// Render CSL-JSON items with citeproc-js, the reference CSL engine.
// Reads a JSON job on stdin:
//   {"style": "<style XML>", "locales": {"en-US": "<locale XML>", ...},
//    "lang": "en-US", "format": "text", "items": [CSL-JSON items]}
//    (and "citations": false to skip the citations, for timing the bibliography;
//    "clusters": [[id, ...], ...] for citations of several items each)
// Writes {"bibliography": [entry, ...], "citations": [one cluster per item]}.
// Items are cited one at a time, in input order, so numbered styles number
// them in that order.
"use strict";
const CSL = require("citeproc");

function readStdin() {
  return new Promise((resolve) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function render(job) {
  const byId = new Map(job.items.map((item) => [String(item.id), item]));
  const sys = {
    retrieveLocale: (lang) => job.locales[lang] || false,
    retrieveItem: (id) => byId.get(String(id)),
  };
  const engine = new CSL.Engine(sys, job.style, job.lang, true);
  engine.setOutputFormat(job.format || "text");
  const ids = job.items.map((item) => String(item.id));
  engine.updateItems(ids);
  const citations =
    job.citations === false ? [] : ids.map((id) => engine.makeCitationCluster([{ id }]));
  // citations of several items each ("clusters": lists of ids), sorted as the style says
  const clusters = (job.clusters || []).map((ids) =>
    engine.makeCitationCluster(ids.map((id) => ({ id: String(id) }))),
  );
  const bib = engine.makeBibliography();
  const entries = bib ? bib[1].map((e) => e.trim()) : [];
  const entryIds = bib ? bib[0].entry_ids.map((e) => String(e[0])) : [];
  return { bibliography: entries, ids: entryIds, citations, clusters };
}

readStdin().then((text) => {
  const job = JSON.parse(text);
  process.stdout.write(JSON.stringify(render(job)));
});
