// Render CSL-JSON items with citeproc-js, the reference CSL engine.
// Reads a JSON job on stdin:
//   {"style": "<style XML>", "locales": {"en-US": "<locale XML>", ...},
//    "lang": "en-US", "format": "text", "items": [CSL-JSON items]}
//    (and "citations": false to skip the citations, for timing the bibliography;
//    "clusters": [[id, ...], ...] for citations of several items each;
//    "sequence": [[{"id", "locator", "label", "prefix", "suffix"}, ...], ...] for a
//    document's citations in order, each in footnote n (1, 2, ...) as Zotero passes them)
// Writes {"bibliography": [entry, ...], "citations": [one cluster per item],
//         "sequence": [the final text of each citation of the sequence]}.
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
  // a document's citations, processed one after another as a word processor does; a
  // later citation may change an earlier one (disambiguation, ibid.), so the last
  // text of each is kept
  const texts = new Map();
  const placed = [];
  (job.sequence || []).forEach((cites, n) => {
    const citation = {
      citationID: `c${n}`,
      citationItems: cites.map((cite) => {
        const item = { id: String(cite.id) };
        for (const key of ["locator", "label", "prefix", "suffix"]) {
          if (cite[key] !== undefined && cite[key] !== null && cite[key] !== "") item[key] = cite[key];
        }
        return item;
      }),
      properties: { noteIndex: n + 1 },
    };
    const [, updates] = engine.processCitationCluster(citation, placed, []);
    for (const [index, text] of updates) texts.set(index, text);
    placed.push([citation.citationID, n + 1]);
  });
  const sequence = placed.map((_, index) => texts.get(index) || "");
  const bib = engine.makeBibliography();
  const entries = bib ? bib[1].map((e) => e.trim()) : [];
  const entryIds = bib ? bib[0].entry_ids.map((e) => String(e[0])) : [];
  return { bibliography: entries, ids: entryIds, citations, clusters, sequence };
}

readStdin().then((text) => {
  const job = JSON.parse(text);
  process.stdout.write(JSON.stringify(render(job)));
});
