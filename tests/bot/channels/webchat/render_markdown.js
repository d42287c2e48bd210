// Renders texts the way rasa-webchat 1.0.1 does (react-markdown, transformLinkUri: null) and
// prints, for each text, the href/src attributes that reached the markup. NODE_PATH=web/node_modules.
"use strict";
const React = require("react");
const server = require("react-dom/server");
const Markdown = require("react-markdown");

const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.error = () => {};
const out = texts.map((source) => {
  const html = server.renderToStaticMarkup(
    React.createElement(Markdown, { source, transformLinkUri: null, className: "rw-markdown" })
  );
  const urls = [];
  const pattern = /\s(?:href|src)="([^"]*)"/g;
  let match;
  while ((match = pattern.exec(html)) !== null) urls.push(match[1]);
  return { html, urls };
});
process.stdout.write(JSON.stringify(out));
