// Browser helpers of the topology pages (Triage, Endpoint): revealing the keyboard cursor's item.
// Items have variable heights, so the element itself is scrolled into view rather than computed from an index.
export function revealItem(container, key) {
  if (!container) {
    return;
  }
  const item = Array.from(container.querySelectorAll('[data-key]')).find(e => e.dataset.key === key);
  if (item) {
    item.scrollIntoView({ block: 'nearest' });
    item.focus({ preventScroll: true });
  }
}
