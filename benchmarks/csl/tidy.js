// Tidy BibTeX with bibtex-tidy (its default options), for benchmarks/bib_bench.py.
// Reads the .bib on stdin, writes the tidied .bib on stdout and, on stderr, the
// CPU milliseconds the tidy call itself took (node's start-up excluded).
"use strict";
const { tidy } = require("bibtex-tidy");

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = Buffer.concat(chunks).toString("utf8");
  const start = process.cpuUsage();
  const result = tidy(input);
  const used = process.cpuUsage(start);
  process.stdout.write(result.bibtex);
  process.stderr.write(`${(used.user + used.system) / 1000}\n`);
});
