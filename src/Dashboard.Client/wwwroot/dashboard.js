// Small browser helpers for the dashboard: keyboard shortcuts, scrolling a virtualised row into view,
// clipboard, and the persisted theme. Everything else is Blazor.
const themeKey = 'endpoint-dashboard.theme';

function isTyping(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

let shortcutsInstalled = false;

// "/" focuses the page's search box (unless the user is already typing somewhere);
// ArrowDown in the search box moves focus to the list.
// The skip link moves focus to the main content (a fragment link alone would only scroll: Blazor handles it).
export function installShortcuts() {
  if (shortcutsInstalled) {
    return;
  }
  shortcutsInstalled = true;
  document.addEventListener('click', e => {
    const link = e.target instanceof Element ? e.target.closest('.skip-link') : null;
    const main = document.getElementById('main-content');
    if (link && main) {
      e.preventDefault();
      e.stopPropagation();
      main.focus();
    }
  }, true);
  document.addEventListener('keydown', e => {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
      const search = document.getElementById('list-search');
      if (search) {
        e.preventDefault();
        search.focus();
        search.select();
      }
    } else if (e.key === 'ArrowDown' && e.target instanceof HTMLElement && e.target.id === 'list-search') {
      const grid = document.querySelector('[data-list-grid]');
      if (grid) {
        e.preventDefault();
        grid.focus();
      }
    }
  });
}

// Stops the browser scrolling the list itself on arrow keys: the selection moves instead.
export function installGrid(grid) {
  if (!grid || grid.dataset.keysInstalled) {
    return;
  }
  grid.dataset.keysInstalled = '1';
  grid.addEventListener('keydown', e => {
    if (['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' '].includes(e.key)) {
      e.preventDefault();
    }
  });
}

// Scrolls the (virtualised) row at index into view; the row may not be rendered yet, so compute from its height.
export function scrollRowIntoView(scroller, index, rowHeight) {
  if (!scroller || index < 0) {
    return;
  }
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scroller.scrollTop) {
    scroller.scrollTop = top;
  } else if (bottom > scroller.scrollTop + scroller.clientHeight) {
    scroller.scrollTop = bottom - scroller.clientHeight;
  }
}

export function focusElement(element) {
  if (element) {
    element.focus({ preventScroll: true });
  }
}

export async function copyText(text) {
  await navigator.clipboard.writeText(text);
}

// True below MudBlazor's Md breakpoint, where the navigation drawer is folded away (a phone, a narrow window).
export function isNarrow() {
  return window.matchMedia('(max-width: 959.98px)').matches;
}

// null when the user never chose; "dark" or "light" otherwise.
export function loadTheme() {
  try {
    return localStorage.getItem(themeKey);
  } catch {
    return null;
  }
}

// The cookie lets the server render the next page in the chosen theme from the start; local storage is the older home.
export function saveTheme(value) {
  document.cookie = `${themeKey}=${value}; path=/; max-age=31536000; samesite=lax`;
  try {
    localStorage.setItem(themeKey, value);
  } catch {
    // Private mode or storage disabled: the cookie still carries the choice.
  }
}
