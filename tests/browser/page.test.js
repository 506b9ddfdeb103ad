// Drives the interactive graph page in headless Chromium, as a reader would.
//
//   node tests/browser/page.test.js PAGE.html [--screenshot FILE] [--expect seed|any] [--perf]
//
// With --expect seed (the default), the page must be the one built from the seed articles:
// it searches "Putin", selects him, and checks that the panel lists Steve Witkoff with a
// sentence naming both; clicks a node on the canvas; and checks that the type filters hide
// nodes. With --perf it times a search and selection, and a zoom redraw, and prints them as
// JSON. Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM). Exits non-zero on a failure.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

function parseArgs(argv) {
  const args = { page: null, screenshot: null, expect: 'seed', perf: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshot') args.screenshot = argv[++i];
    else if (a === '--expect') args.expect = argv[++i];
    else if (a === '--perf') args.perf = true;
    else if (!args.page) args.page = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!args.page) throw new Error('usage: page.test.js PAGE.html [--screenshot FILE] [--expect seed|any] [--perf]');
  return args;
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

// Times, inside the page, `action` followed by the next two frames (so the drawing it asked
// for is included), in milliseconds.
async function timed(page, action, arg) {
  return page.evaluate(async ([source, arg]) => {
    const act = new Function('arg', `return (${source})(arg);`);
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    await frame();
    const t0 = performance.now();
    await act(arg);
    await frame();
    await frame();
    return performance.now() - t0;
  }, [action.toString(), arg]);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const file = path.resolve(args.page);
  if (!fs.existsSync(file)) throw new Error(`no page at ${file}`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'entigraph-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const problems = [];
  const requests = [];
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });

    const url = 'file://' + file;
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.entigraphPage && window.entigraphPage.stats().draws > 0);
    const openMs = Date.now() - t0;
    const first = await page.evaluate(() => window.entigraphPage.stats());
    check(first.nodes > 0 && first.shownNodes === first.nodes, `the page opens and draws ${first.nodes} entities and ${first.edges} links`);

    const perf = { nodes: first.nodes, edges: first.edges, open_ms: openMs, first_draw_ms: first.drawMs };

    if (args.expect === 'seed') {
      await seedChecks(page);
    } else {
      // Any graph: search the first entity's name and select it.
      const name = await page.evaluate(() => JSON.parse(document.getElementById('graph-data').textContent).nodes[0].name);
      await page.fill('#search', name);
      await page.waitForSelector('#matches li[role=option]');
      await page.click('#matches li[role=option]');
      await page.waitForSelector('#panel:not([hidden])');
      check((await page.textContent('#panel h2')) === name, `selecting "${name}" shows it in the panel`);
    }

    if (args.perf) {
      // The biggest node's name, typed in full, then its first match clicked.
      const query = await page.evaluate(() => {
        const d = JSON.parse(document.getElementById('graph-data').textContent);
        let best = d.nodes[0];
        for (const n of d.nodes) if (n.mentions > best.mentions) best = n;
        return best.name;
      });
      await page.click('#panel-close').catch(() => {});
      const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const round = (x) => Math.round(x * 10) / 10;
      const searches = [], selects = [], selectJs = [];
      for (let k = 0; k < 3; k++) {
        await page.fill('#search', '');
        searches.push(await timed(page, (q) => {
          const input = document.getElementById('search');
          input.focus();
          input.value = q;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }, query));
        selects.push(await timed(page, () => {
          document.querySelector('#matches li[role=option]').click();
        }));
        selectJs.push((await page.evaluate(() => window.entigraphPage.stats())).selectMs);
        await page.click('#panel-close');
      }
      perf.search_query = query;
      perf.search_ms = { median: round(median(searches)), max: round(Math.max(...searches)) };
      perf.select_ms = { median: round(median(selects)), max: round(Math.max(...selects)), script_median: round(median(selectJs)) };
      await page.click('#zoom-fit');
      const zooms = [], draws = [];
      for (let k = 0; k < 8; k++) {
        zooms.push(await timed(page, (dy) => {
          const c = document.getElementById('graph');
          const r = c.getBoundingClientRect();
          c.dispatchEvent(new WheelEvent('wheel', { deltaY: dy, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
        }, k < 4 ? -250 : 250));
        draws.push((await page.evaluate(() => window.entigraphPage.stats())).drawMs);
      }
      perf.zoom_redraw_ms = { median: round(median(zooms)), max: round(Math.max(...zooms)), draw_median: round(median(draws)), draw_max: round(Math.max(...draws)) };
      // A full-detail redraw of the whole view, as after the view rests.
      await page.waitForFunction(() => !window.entigraphPage.stats().coarse);
      const full = [];
      for (let k = 0; k < 5; k++) {
        full.push(await timed(page, () => { window.dispatchEvent(new Event('resize')); }));
      }
      perf.full_redraw_ms = { median: round(median(full)), max: round(Math.max(...full)) };
      console.log('perf ' + JSON.stringify(perf));
    }

    if (args.screenshot) {
      await page.click('#panel-close').catch(() => {});
      await page.click('#zoom-fit');
      if (args.expect === 'seed') {
        await page.fill('#search', 'Putin');
        await page.waitForSelector('#matches li[role=option]');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#panel:not([hidden])');
        await page.click('#panel li.link[data-neighbour="steve-witkoff"] summary');
      }
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: args.screenshot });
      console.log(`ok - screenshot ${args.screenshot}`);
    }

    check(requests.length === 0, `the page made no network request${requests.length ? ': ' + requests.join(', ') : ''}`);
    check(problems.length === 0, `no script errors${problems.length ? ': ' + problems.join('; ') : ''}`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function seedChecks(page) {
  // Search by a part of the name, in another case and without accents.
  await page.fill('#search', 'putin');
  await page.waitForSelector('#matches li[role=option]');
  const matches = await page.$$eval('#matches li[role=option] .name', (els) => els.map((e) => e.textContent));
  check(matches.includes('Vladimir Putin'), `searching "putin" lists Vladimir Putin (${matches.join(', ')})`);
  await page.fill('#search', '');
  await page.type('#search', 'Putin');
  const option = page.locator('#matches li[role=option]', { hasText: 'Vladimir Putin' }).first();
  await option.click();
  await page.waitForSelector('#panel:not([hidden])');
  check((await page.textContent('#panel h2')) === 'Vladimir Putin', 'clicking the match selects Vladimir Putin');
  const stats = await page.evaluate(() => window.entigraphPage.stats());
  check(stats.selected === 'vladimir-putin', 'the canvas has him selected');

  const witkoff = page.locator('#panel li.link[data-neighbour="steve-witkoff"]');
  check((await witkoff.count()) === 1, 'the panel lists Steve Witkoff among his links');
  const summary = await witkoff.locator('summary').textContent();
  check(summary.includes('Steve Witkoff') && summary.includes('met'), `the link is marked met (${summary.trim()})`);
  await witkoff.locator('summary').click();
  const sentences = await witkoff.locator('.sentence').allTextContents();
  const both = sentences.filter((s) => s.includes('Witkoff') && s.includes('Putin'));
  check(both.length > 0, `opening it shows a sentence naming both: "${(both[0] || '').slice(0, 90)}..."`);
  check(await witkoff.locator('.sentence').first().isVisible(), 'the evidence is visible');
  const docs = await witkoff.locator('.doc').allTextContents();
  check(docs.length > 0 && docs.every((d) => /\.txt \[\d+\.\.\d+\]$/.test(d)), `each sentence names its document (${docs[0]})`);
  const where = await witkoff.locator('.note').first().textContent();
  check(/Met: \d+ sentences? say/.test(where), `the meeting sentences are there (${where})`);

  // Selecting a neighbour from the panel.
  await witkoff.locator('button.go').click();
  check((await page.textContent('#panel h2')) === 'Steve Witkoff', 'the panel button selects Steve Witkoff');

  // Clicking a node on the canvas.
  await page.click('#panel-close');
  check(await page.isHidden('#panel'), 'closing the panel clears the selection');
  const at = await page.evaluate(() => window.entigraphPage.screenPosition('moscow'));
  await page.mouse.click(at.x, at.y);
  await page.waitForSelector('#panel:not([hidden])');
  check((await page.textContent('#panel h2')) === 'Moscow', 'clicking Moscow on the canvas selects it');
  await page.click('#panel-close');

  // Zoom buttons and the wheel change the scale.
  const before = (await page.evaluate(() => window.entigraphPage.stats())).scale;
  await page.click('#zoom-in');
  await page.waitForFunction((s) => window.entigraphPage.stats().scale > s, before);
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, 400);
  await page.waitForFunction((s) => window.entigraphPage.stats().scale < s * 1.5, before);
  check(true, 'the + button and the wheel zoom');

  // Type filter: places off hides them, on shows them again.
  const all = (await page.evaluate(() => window.entigraphPage.stats())).shownNodes;
  await page.uncheck('#types input[data-type=place]');
  const noPlaces = await page.evaluate(() => window.entigraphPage.stats());
  check(noPlaces.shownNodes < all && !(await page.evaluate(() => window.entigraphPage.isShown('moscow'))),
    `unticking places hides them (${all} -> ${noPlaces.shownNodes} entities shown)`);
  check(await page.evaluate(() => window.entigraphPage.isShown('vladimir-putin')), 'people stay');
  await page.check('#types input[data-type=place]');
  check((await page.evaluate(() => window.entigraphPage.stats())).shownNodes === all, 'ticking places again shows them');

  // Minimum weight: the heaviest setting leaves fewer links.
  const edges = (await page.evaluate(() => window.entigraphPage.stats())).shownEdges;
  await page.$eval('#min-weight', (s) => { s.value = s.max; s.dispatchEvent(new Event('input', { bubbles: true })); });
  const heavy = await page.evaluate(() => window.entigraphPage.stats());
  check(heavy.shownEdges < edges, `the weight slider hides light links (${edges} -> ${heavy.shownEdges})`);
  await page.$eval('#min-weight', (s) => { s.value = 0; s.dispatchEvent(new Event('input', { bubbles: true })); });

  // A name that matches nothing says so.
  await page.fill('#search', 'zzzz-no-such-name');
  check((await page.textContent('#matches')).includes('no entity'), 'an unknown name lists nothing');
  await page.fill('#search', '');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
