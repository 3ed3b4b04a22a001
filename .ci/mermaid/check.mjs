// Parses each Mermaid file named on the command line with Mermaid's own parser, in Node
// (jsdom gives it the DOM its sanitizer needs). Exits 1 on the first file it rejects.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(f, "utf8"));
    console.log(`ok ${f}`);
  } catch (e) {
    bad++;
    console.log(`REJECTED ${f}: ${String(e.message || e).split("\n").slice(0, 4).join(" | ")}`);
  }
}
process.exit(bad ? 1 : 0);
