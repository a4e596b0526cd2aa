// Parses each Mermaid diagram of a JSON array on stdin with mermaid.parse() and prints a JSON array of
// verdicts: "ok" or the parser's error. Mermaid expects a DOM, which jsdom provides.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const verdicts = [];
for (const diagram of JSON.parse(input)) {
  try {
    await mermaid.parse(diagram);
    verdicts.push("ok");
  } catch (error) {
    verdicts.push(String(error.message || error));
  }
}
console.log(JSON.stringify(verdicts));
