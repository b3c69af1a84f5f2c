/**
 * Renders a results folder's `report.md` to `report.html` (markdown-it) and
 * takes a full-page screenshot of it in headless Chromium, to check by eye
 * that the tables and the SVG charts show. Needs Debian's `chromium`
 * (`apt-get install chromium`); not used by the unit tests.
 *
 * Usage: `deno run --allow-read --allow-write --allow-run=chromium --allow-env
 * scripts/screenshot_report.ts DIR [--width 1400] [--height 6000]`
 *
 * @module
 */
import MarkdownIt from "markdown-it";
import { parseArgs } from "node:util";

/**
 * Converts report Markdown to a standalone HTML page (tables, `<u>`, images).
 *
 * @param markdown The report.
 * @returns HTML text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { reportHtml } from "./screenshot_report.ts";
 * ok(reportHtml("| a |\n|---|\n| <u>1</u> |").includes("<td><u>1</u></td>"));
 * ```
 */
export function reportHtml(markdown: string): string {
  const body = new MarkdownIt({ html: true }).render(markdown);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>recbench report</title>
<style>
body { font-family: sans-serif; font-size: 14px; margin: 24px; max-width: 1300px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #bbb; padding: 3px 8px; }
td { text-align: right; } td:first-child { text-align: left; }
img { display: block; margin: 8px 0 24px; border: 1px solid #ddd; }
code { font-size: 12px; }
</style></head>
<body>
${body}</body></html>
`;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { width: { type: "string" }, height: { type: "string" } },
  });
  const dir = positionals[0];
  if (!dir) {
    console.error("Usage: scripts/screenshot_report.ts DIR [--width PX] [--height PX]");
    Deno.exit(2);
  }
  const abs = await Deno.realPath(dir);
  await Deno.writeTextFile(
    `${abs}/report.html`,
    reportHtml(await Deno.readTextFile(`${abs}/report.md`)),
  );
  const profile = await Deno.makeTempDir({ prefix: "recbench-chromium-" });
  const png = `${abs}/report.png`;
  const chromium = new Deno.Command("chromium", {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      `--screenshot=${png}`,
      `--window-size=${values.width ?? "1400"},${values.height ?? "6000"}`,
      `file://${abs}/report.html`,
    ],
    stdout: "null",
    stderr: "piped",
  });
  let run: Deno.CommandOutput;
  try {
    run = await chromium.output();
  } catch (error) {
    await Deno.remove(profile, { recursive: true });
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    console.error("screenshot_report: chromium not found on PATH (apt-get install chromium)");
    Deno.exit(1);
  }
  await Deno.remove(profile, { recursive: true });
  if (!run.success) {
    console.error(new TextDecoder().decode(run.stderr));
    Deno.exit(1);
  }
  console.log(`HTML: ${abs}/report.html\nScreenshot: ${png}`);
}
