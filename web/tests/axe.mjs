// axe-core (npm, web/package.json) in a page: the WCAG 2.1 A and AA rules, contrast among them.
// Shared by the browser tests of the web application (browser.mjs) and of the public portal
// (portal.mjs). axe is added as a script tag from the local file, so the page's context must
// bypass CSP.
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe-core 4.14's colour-contrast rule skips text its icon-ligature heuristic flags, and it
// flags all joined Arabic script (Urdu, in Nastaliq or any other face): so Urdu text is checked
// by a second rule with axe's own color-contrast check, matching elements with Arabic-script text.
export const describe = (vs) => vs.map((v) => `${v.id} ×${v.nodes}: ${v.targets.join(', ')}`).join('; ');

export async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: AXE });
    await page.evaluate(() => window.axe.configure({ rules: [{
      id: 'color-contrast-arabic-script', selector: '*', excludeHidden: true, enabled: true,
      matches: (node) => !['OPTION', 'SCRIPT', 'STYLE'].includes(node.nodeName) &&
        [...node.childNodes].some((c) => c.nodeType === 3 && /[\u0600-\u06FF]/.test(c.nodeValue)),
      any: ['color-contrast'], all: [], none: [], tags: ['wcag2aa', 'cat.color'],
      metadata: { description: 'Arabic-script text has enough contrast', help: 'WCAG 1.4.3 for Arabic script' },
    }] }));
  }
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    const brief = (v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, why: v.nodes[0]?.any[0]?.message,
      targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}${n.any[0]?.data?.contrastRatio ? ` (${n.any[0].data.contrastRatio}:1)` : ''}`) });
    const contrastRules = ['color-contrast', 'color-contrast-arabic-script'];
    const checked = r.passes.filter((v) => contrastRules.includes(v.id)).reduce((a, v) => a + v.nodes.length, 0);
    return { violations: r.violations.map(brief), incomplete: r.incomplete.map(brief),
      contrastChecked: checked, rules: r.passes.length + r.violations.length };
  });
}

