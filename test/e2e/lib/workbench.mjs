// @ts-check
// The workbench as a user drives it, shared by every UI step of test/e2e/run.mjs: the quick
// input (command palette, Quick Open, Go to Line) and a tree row's inline action.
//
// Why not type and click at once: the quick input filters its list asynchronously, and on a
// busy machine (2 cores shared) a click or Enter can land while the list is still being
// filled; then nothing runs and the palette stays open with the command typed (seen in CI:
// "Focus on Dump File Findings View" typed, never run). So: type, wait until the list's
// *focused* row is the wanted item (the one Enter accepts; in the palette, checked by the
// command's ID), press Enter, check that the widget closed and, where the caller says how,
// that the action took effect; else retry once from the start. A retry is logged, so a
// flake that the retry hides still shows in the output.
import { waitFor } from './codeServer.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/** @typedef {{ id: string | null, label: string, aria: string }} FocusedRow */
/** @typedef {() => Promise<unknown>} Effect a probe that is truthy once the action took effect */

const WIDGET = '.quick-input-widget';
const INPUT = `${WIDGET} input`;
const ATTEMPTS = 2;

/**
 * @param {Page} page
 * @param {(line: string) => void} log
 */
export function workbench(page, log) {
  const input = page.locator(INPUT);

  /** Closes a quick input an earlier step left open (it would take the keys). */
  async function closeQuickInput() {
    if (!(await input.isVisible().catch(() => false))) return;
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }

  /**
   * The row Enter would accept: the list's focused row, its item ID (a command's ID in the
   * palette) and its label; undefined while there is none.
   * @returns {Promise<FocusedRow | undefined>}
   */
  function focusedRow() {
    return page
      .locator(`${WIDGET} .monaco-list-row.focused`)
      .first()
      .evaluate((row) => ({
        id: row.querySelector('[data-quick-input-id]')?.getAttribute('data-quick-input-id') ?? null,
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        aria: row.getAttribute('aria-label') ?? '',
      }))
      .catch(() => undefined);
  }

  /**
   * @param {Effect} probe
   * @param {number} ms
   */
  function holdsWithin(probe, ms) {
    return waitFor(probe, 'an effect', ms, 100).then(
      () => true,
      () => false,
    );
  }

  /**
   * Opens the quick input with `key`, types `text`, waits until `wanted` holds for the
   * focused row (Go to Line has no list: no check), presses Enter, and checks that the
   * widget closed and that `until` holds within `untilMs`; one retry from the start.
   * @param {{ key: string, text: string, what: string, wanted?: (row: FocusedRow) => boolean, until?: Effect, untilMs?: number }} o
   */
  async function accept(o) {
    /** @type {string[]} */
    const misses = [];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) log(`quick input: retrying ${o.what} (${misses.at(-1)})`);
      await closeQuickInput();
      await page.keyboard.press(o.key);
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill(o.text);
      const wanted = o.wanted;
      /** @type {FocusedRow | undefined} */
      let last;
      if (wanted && !(await holdsWithin(async () => (last = await focusedRow()) && wanted(last), 15_000))) {
        misses.push(`attempt ${attempt}: the focused item stayed ${last ? JSON.stringify(last.aria || last.label) : '(none)'}`);
        continue;
      }
      // What the list was filtered by must still be in the box (no stray keystroke since).
      if ((await input.inputValue().catch(() => '')) !== o.text) {
        misses.push(`attempt ${attempt}: the input no longer reads ${JSON.stringify(o.text)}`);
        continue;
      }
      await page.keyboard.press('Enter');
      if (!(await holdsWithin(async () => !(await input.isVisible().catch(() => false)), 5_000))) {
        misses.push(`attempt ${attempt}: Enter did not close the quick input`);
        continue;
      }
      if (!o.until || (await holdsWithin(o.until, o.untilMs ?? 10_000))) return;
      misses.push(`attempt ${attempt}: accepted, but no effect within ${(o.untilMs ?? 10_000) / 1000} s`);
    }
    await closeQuickInput();
    throw new Error(`could not run ${o.what} from the quick input: ${misses.join('; ')}`);
  }

  return {
    /**
     * Runs a command from the command palette (F1) by its title, as a user does; the item
     * accepted is checked by the command's ID, so a similar title never runs instead.
     * `until`: how to tell that it ran, when the command is safe to run twice.
     * @param {{ title: string, id: string, until?: Effect, untilMs?: number }} o
     */
    async runCommandFromPalette(o) {
      await accept({
        key: 'F1',
        text: `>${o.title}`,
        what: `the command "${o.title}" (${o.id})`,
        wanted: (row) => row.id === o.id,
        until: o.until,
        untilMs: o.untilMs,
      });
      await page.mouse.move(300, 600); // off the palette's spot, where a tooltip would linger in screenshots
    },

    /**
     * Opens a workspace file by Quick Open (Ctrl+P) and waits for its tab.
     * @param {string} fileName
     */
    async openByQuickOpen(fileName) {
      const tab = page.locator(`.tab.active[aria-label*="${fileName}"]`).first();
      await accept({
        key: 'Control+P',
        text: fileName,
        what: `the file ${fileName}`,
        // The match itself, not a "recently opened" item the list showed while filtering.
        wanted: (row) => row.label === fileName,
        until: () => tab.isVisible(),
        untilMs: 15_000,
      });
      await page.mouse.move(300, 600); // off the tabs, or a tab's tooltip lingers in screenshots
    },

    /**
     * Moves the caret with Go to Line (Ctrl+G).
     * @param {number} line
     * @param {number} column
     */
    goToLineColumn(line, column) {
      return accept({ key: 'Control+G', text: `:${line}:${column}`, what: `Go to Line ${line}:${column}` });
    },

    /**
     * Clicks an inline action of a tree row (shown on hover) once the row has stopped moving
     * (a row still being laid out can move between the hover and the click, and the click
     * then lands on a neighbour's action), then waits until `until` holds. An attempt whose
     * action never shows or cannot be clicked (the pointer left the row: seen in CI, the
     * hover lost to a re-render) is a miss, not a failure; the last attempt takes the same
     * action from the row's context menu, which does not depend on the pointer staying put.
     * Every retry is logged. Returns the accessible name of the row whose action was taken.
     * @param {Locator} row
     * @param {{ action: string, until: Effect, untilMs?: number }} o `action`: the start of the action's aria-label
     */
    async clickRowAction(row, o) {
      /** @type {string[]} */
      const misses = [];
      const tries = ATTEMPTS + 1;
      for (let attempt = 1; attempt <= tries; attempt++) {
        const fromMenu = attempt === tries;
        if (attempt > 1) log(`tree: retrying "${o.action}"${fromMenu ? ' from the context menu' : ''} (${misses.at(-1)})`);
        try {
          await row.waitFor({ state: 'visible', timeout: 15_000 });
          /** @type {string | undefined} */
          let before;
          const still = async () => {
            const box = await row.boundingBox().catch(() => null);
            const now = box ? `${box.x},${box.y},${box.width},${box.height}` : undefined;
            const same = now !== undefined && now === before;
            before = now;
            return same;
          };
          await waitFor(still, 'the row to stop moving', 15_000, 300);
          const clicked = await row.getAttribute('aria-label', { timeout: 5_000 }).then((l) => l ?? '');
          if (fromMenu) {
            await row.click({ button: 'right', timeout: 5_000 });
            const item = page.locator('.context-view .monaco-menu .action-label', { hasText: o.action }).first();
            await item.click({ timeout: 5_000 });
          } else {
            await row.hover({ timeout: 5_000 });
            const action = row.locator(`.action-label[aria-label^="${o.action}"]`);
            await action.click({ timeout: 5_000 });
          }
          if (await holdsWithin(o.until, o.untilMs ?? 15_000)) return clicked;
          misses.push(`attempt ${attempt}: took it on the row "${clicked.slice(0, 120)}", no effect within ${(o.untilMs ?? 15_000) / 1000} s`);
        } catch (e) {
          misses.push(`attempt ${attempt}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200)}`);
          await page.keyboard.press('Escape').catch(() => undefined); // a context menu left open
          await page.mouse.move(0, 0).catch(() => undefined);
        }
      }
      throw new Error(`"${o.action}" did nothing: ${misses.join('; ')}`);
    },
  };
}
