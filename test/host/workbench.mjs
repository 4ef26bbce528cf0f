// Playwright helpers for driving the VS Code workbench (code-server in Chromium) in e2e scripts.
// All take the Playwright `page` first. Monaco renders spaces as U+00A0: text helpers normalise it.

const ACTIVE_EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';
const QUICK_INPUT = '.quick-input-widget';
const ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/**
 * Default limit of every wait below. Waits end as soon as the UI is there, so the limit only
 * matters when something is broken; it is generous because the suites must pass on a busy,
 * shared machine (KEYSMITH_UI_TIMEOUT_MS overrides it).
 */
export const UI_TIMEOUT = Number(process.env.KEYSMITH_UI_TIMEOUT_MS) || 90000;

/** Replace Monaco's U+00A0 (and zero-width chars) so text compares with what is on disk. */
export const normalize = (s) => s.replace(/\u00a0/g, ' ').replace(/[\u200b-\u200d\ufeff]/g, '');

/** Wait until the workbench is up and the explorer (if a folder is open) has rows. */
export async function waitForWorkbench(page, { timeout = UI_TIMEOUT } = {}) {
  await page.waitForSelector('.monaco-workbench', { timeout });
  await page.waitForSelector('.statusbar', { timeout });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout }).catch(() => {});
}

/** Is the quick input (palette / quick pick) visible? */
export async function quickInputVisible(page) {
  return page.locator(QUICK_INPUT).isVisible();
}

/** Labels of the quick input rows currently rendered. */
export async function quickPickLabels(page) {
  return (await page.locator(`${ROWS} .label-name`).allInnerTexts()).map(normalize);
}

/**
 * F1, type the command title, wait until a row with exactly that title is first, Enter.
 * `title` is what the palette shows, e.g. "Keysmith: Generate Secret Key".
 */
export async function runCommand(page, title, { timeout = UI_TIMEOUT } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible', timeout });
  // The palette does not refresh when an extension registers its contributions while it is open
  // (a slow, loaded machine): re-enter the filter every 2 s until the command shows up.
  const deadline = Date.now() + timeout;
  for (;;) {
    await input.fill('>');
    await input.fill(`>${title}`);
    try {
      await waitForFirstRow(page, (label) => label === title, Math.min(2000, Math.max(1, deadline - Date.now())), `command "${title}"`);
      break;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
    }
  }
  await page.keyboard.press('Enter');
}

/** In an open quick pick, type `label` to filter, check the first row is it, Enter. */
export async function pickQuickPick(page, label, { timeout = UI_TIMEOUT, exact = true } = {}) {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible', timeout });
  await page.locator(ROWS).first().waitFor({ state: 'visible', timeout });
  await input.fill(label);
  await waitForFirstRow(page, (l) => (exact ? l === label : l.includes(label)), timeout, `quick pick item "${label}"`);
  await page.keyboard.press('Enter');
}

async function waitForFirstRow(page, accept, timeout, what) {
  const deadline = Date.now() + timeout;
  let labels = [];
  while (Date.now() < deadline) {
    labels = await quickPickLabels(page).catch(() => []);
    // The palette label is "Category: Title" split across highlight spans; innerText joins them.
    if (labels.length && accept(labels[0].trim())) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what} not first in the quick input; rows: ${JSON.stringify(labels.slice(0, 8))}`);
}

/**
 * Open a workspace file by its relative path: a top-level file is clicked in the Explorer (fast),
 * anything else goes through Quick Open (Ctrl+P; its first search can take seconds).
 */
export async function openFile(page, relPath, { timeout = UI_TIMEOUT } = {}) {
  if (!relPath.includes('/')) {
    const item = page.locator(`.explorer-folders-view .monaco-list-row[aria-label=${JSON.stringify(relPath)}]`).first();
    if (await item.isVisible().catch(() => false)) {
      await item.dblclick();
      await page.locator(`.editor-group-container.active .tab.active[data-resource-name="${relPath}"]`).waitFor({ timeout });
      await page.locator(`${ACTIVE_EDITOR} .view-lines`).waitFor({ state: 'visible', timeout });
      await page.locator(`${ACTIVE_EDITOR} textarea`).first().focus().catch(() => {});
      return;
    }
  }
  await page.keyboard.press('Control+P');
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relPath);
  const base = relPath.split('/').pop();
  await waitForFirstRow(page, (l) => l === base, timeout, `file "${relPath}"`);
  await page.keyboard.press('Enter');
  await page.locator(`${ACTIVE_EDITOR} .view-lines`).waitFor({ state: 'visible', timeout });
  await page.locator(`${ACTIVE_EDITOR} textarea`).first().focus().catch(() => {});
}

/** Ctrl+G to a 1-based line, then End (cursor at the end of that line). */
export async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
}

/** Text of the active editor's rendered lines (visible viewport only), normalised, in line order. */
export async function editorText(page) {
  const lines = page.locator(`${ACTIVE_EDITOR} .view-lines .view-line`);
  const items = await lines.evaluateAll((els) => els.map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent ?? '' })));
  items.sort((a, b) => a.top - b.top);
  return normalize(items.map((i) => i.text).join('\n'));
}

/** Poll editorText until it matches `re` (returns the match) or time runs out. */
export async function waitForEditorText(page, re, { timeout = UI_TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page).catch(() => '');
    const m = text.match(re);
    if (m) return m;
    await page.waitForTimeout(100);
  }
  throw new Error(`editor text does not match ${re} after ${timeout} ms:\n${text}`);
}

const DIRTY_TAB = '.editor-group-container.active .tab.active.dirty';

/** Is the active editor's tab marked dirty (unsaved)? (The host turns auto-save off.) */
export async function isDirty(page) {
  return (await page.locator(DIRTY_TAB).count()) > 0;
}

/** Ctrl+S and wait until the active tab is no longer dirty. */
export async function save(page, { timeout = UI_TIMEOUT } = {}) {
  await page.waitForSelector(DIRTY_TAB, { timeout: 2000 }).catch(() => {});
  await page.keyboard.press('Control+S');
  await page.waitForSelector(DIRTY_TAB, { state: 'detached', timeout });
}

/** Texts of visible notification toasts. */
export async function notifications(page) {
  return (await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map(normalize);
}
