// The workspace chrome: sidebar, messages, composer. Pure DOM builders; app.js owns the state.
import { h, formatTime, formatDay, formatInstant, tsDate } from './dom.js';
import { messageBody } from './blocks.js';
import { menuButton } from './menu.js';
import { plain } from './mrkdwn.js';
import { icon } from './icons.js';

const personLabel = (p) => (p.title ? `${p.realName} — ${p.title}` : p.realName);

function navButton(label, selected, onclick, fk, extra = [], after = null) {
  return h('li', {}, h('button', {
    type: 'button', class: 'nav-item' + (selected ? ' selected' : ''), 'aria-current': selected ? 'page' : null, 'data-fk': fk, onclick,
  }, ...extra, label, after));
}

/** handlers: {setAs(id), select(sel), advance(step)}; S: app state. */
export function sidebar(S, handlers) {
  const me = S.ws.people.find((p) => p.id === S.as);
  const tz = me?.tz ?? S.ws.timeZone;
  const isSel = (id) => S.sel.kind === 'channel' && S.sel.id === id;
  const mine = S.ws.channels.filter((c) => c.members.includes(S.as));
  const others = S.ws.channels.filter((c) => !c.members.includes(S.as) && !c.isPrivate);
  const chanItem = (c) => navButton(c.name, isSel(c.id), () => handlers.select({ kind: 'channel', id: c.id }), `chan:${c.id}`,
    [h('span', { class: 'chan-icon', 'aria-hidden': 'true' }, c.isPrivate ? icon('lock') : '#')], c.isPrivate ? h('span', { class: 'sr-only' }, ' (private)') : null);
  const picker = h('select', { id: 'as-picker', class: 'select', 'data-fk': 'as-picker', onchange: (e) => handlers.setAs(e.target.value) },
    S.ws.people.map((p) => h('option', { value: p.id, selected: p.id === S.as }, personLabel(p))));
  const now = new Date(S.ws.now);
  return [
    h('h1', { class: 'team-name' }, plain(S.ws.team?.name ?? 'coachline sandbox')),
    h('div', { class: 'acting-as' },
      h('label', { for: 'as-picker' }, 'Acting as'), picker,
      me ? h('p', { class: 'muted small' }, `${me.realName}'s time zone: ${me.tz}`) : null),
    h('h2', { id: 'nav-channels' }, 'Channels'),
    h('ul', { class: 'nav-list', 'aria-labelledby': 'nav-channels' }, mine.map(chanItem)),
    others.length ? h('h2', { id: 'nav-more' }, 'More channels') : null,
    others.length ? h('ul', { class: 'nav-list', 'aria-labelledby': 'nav-more' }, others.map(chanItem)) : null,
    h('h2', { id: 'nav-dms' }, 'Direct messages'),
    h('ul', { class: 'nav-list', 'aria-labelledby': 'nav-dms' },
      navButton('coachline', isSel('D' + S.as), () => handlers.select({ kind: 'channel', id: 'D' + S.as }), 'dm',
        [h('span', { class: 'chan-icon', 'aria-hidden': 'true' }, icon('chat'))])),
    h('h2', { id: 'nav-app' }, 'App: coachline'),
    h('ul', { class: 'nav-list', 'aria-labelledby': 'nav-app' },
      navButton('Home', S.sel.kind === 'home', () => handlers.select({ kind: 'home' }), 'home',
        [h('span', { class: 'chan-icon', 'aria-hidden': 'true' }, icon('home'))])),
    h('section', { class: 'time-panel', 'aria-labelledby': 'time-h' },
      h('h2', { id: 'time-h' }, 'Sandbox time'),
      h('p', { class: 'clock' }, h('time', { datetime: now.toISOString(), id: 'sandbox-now' }, formatInstant(now, tz))),
      h('p', { class: 'muted small' }, `Shown in ${tz}`),
      h('div', { role: 'group', 'aria-label': 'Advance time', class: 'time-buttons' },
        h('span', { class: 'small strong', 'aria-hidden': 'true' }, 'Advance time'),
        [['hour', '+1 business hour'], ['day', '+1 business day'], ['monday', 'Next Monday 09:00']].map(([step, label]) =>
          h('button', { type: 'button', class: 'btn btn-small', 'data-fk': `time:${step}`, disabled: S.advancing, onclick: () => handlers.advance(step) }, label)))),
  ];
}

function authorName(item, S) {
  const p = S.ws.people.find((x) => x.id === item.user);
  return p ? p.realName : item.userName || (item.isBot ? 'coachline' : item.user);
}

/** One message (top-level or reply). opts: {ctx(item), expanded:Set, toggle(ts), shortcut(item, callbackId), S, reply} */
export function message(item, opts) {
  const { S } = opts;
  const tz = opts.tz;
  const d = tsDate(item.ts);
  const author = authorName(item, S);
  const ephemeral = item.kind === 'ephemeral';
  const head = h('div', { class: 'msg-head' },
    h('span', { class: 'author' }, author),
    item.isBot ? h('span', { class: 'badge' }, 'APP') : null,
    h('time', { datetime: d.toISOString(), title: formatInstant(d, tz) }, formatTime(d, tz)),
    item.edited ? h('span', { class: 'edited' }, '(edited)') : null,
    item.pinned ? h('span', { class: 'pinned' }, icon('pin', 12), ' Pinned') : null);
  const main = h('div', { class: 'msg-main' }, head,
    ephemeral ? h('p', { class: 'ephemeral-note' }, icon('eye'), ' Only visible to you') : null,
    messageBody(item, opts.ctx(item)));
  if (item.files?.length) {
    main.append(h('ul', { class: 'files', 'aria-label': 'Files' }, item.files.map((f) =>
      h('li', {}, h('a', { href: f.url, download: f.name, class: 'file-link' }, icon('file'), ' ', f.name)))));
  }
  if (!opts.reply && item.replies?.length) {
    const open = opts.expanded.has(item.ts);
    const n = item.replies.length;
    main.append(h('button', {
      type: 'button', class: 'thread-toggle', 'aria-expanded': String(open), 'data-fk': `thread:${item.ts}`, onclick: () => opts.toggle(item.ts),
    }, `${n} ${n === 1 ? 'reply' : 'replies'}`));
    if (open) {
      main.append(h('div', { class: 'thread', role: 'group', 'aria-label': `Thread replies to ${author}` },
        item.replies.map((r) => message(r, { ...opts, reply: true }))));
    }
  }
  const shortcuts = ephemeral ? [] : (S.ws.messageShortcuts ?? []).map((s) => ({ label: plain(s.name), onSelect: () => opts.shortcut(item, s.callbackId) }));
  const tools = h('div', { class: 'msg-tools' },
    menuButton(h('span', { 'aria-hidden': 'true' }, '⋮'), shortcuts, { class: 'btn-icon', 'aria-label': 'More actions', 'data-fk': `more:${item.ts}` }));
  return h('article', {
    class: 'msg' + (ephemeral ? ' ephemeral' : '') + (opts.reply ? ' reply' : '') + (S.highlight === item.ts ? ' highlight' : ''),
    'data-ts': item.ts, 'data-kind': item.kind, 'aria-label': `${author}, ${formatDay(d, tz)} ${formatTime(d, tz)}${ephemeral ? ', only visible to you' : ''}`,
  }, h('div', { class: 'avatar', 'aria-hidden': 'true' }, author.slice(0, 1).toUpperCase()), main, tools);
}

/** The list of top-level messages with day separators. */
export function messageList(items, opts) {
  const list = h('div', { class: 'messages' });
  let day = null;
  for (const it of items) {
    const dd = formatDay(tsDate(it.ts), opts.tz);
    if (dd !== day) {
      day = dd;
      list.append(h('div', { class: 'day-sep', role: 'separator', 'aria-label': dd }, h('span', {}, dd)));
    }
    list.append(message(it, opts));
  }
  if (!items.length) list.append(h('p', { class: 'empty muted' }, 'No messages yet.'));
  return list;
}

/** The composer: Enter sends; "/…" runs a command. handlers: {send(text) → Promise<boolean>} */
export function composer(label, commands, handlers) {
  let chain = Promise.resolve();
  const input = h('input', { id: 'composer-input', class: 'input composer-input', type: 'text', autocomplete: 'off', 'aria-describedby': 'composer-hint' });
  const form = h('form', { class: 'composer', onsubmit: async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    // Sends go out one after the other, in the order they were typed.
    chain = chain.then(() => handlers.send(text)).then((ok) => { if (!ok && !input.value) input.value = text; }, () => { if (!input.value) input.value = text; });
  } },
  h('label', { for: 'composer-input', class: 'sr-only' }, label),
  input,
  h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send'));
  input.placeholder = label;
  const hint = h('p', { id: 'composer-hint', class: 'composer-hint small' }, 'Enter sends. Commands: ',
    (commands ?? []).map((c, i) => [i ? ' · ' : '', h('code', {}, c.command)]));
  const help = h('details', { class: 'command-help small' }, h('summary', {}, 'Command help'),
    h('dl', {}, (commands ?? []).map((c) => [
      h('dt', {}, h('code', {}, c.command + (c.usageHint ? ` ${c.usageHint}` : ''))),
      h('dd', {}, plain(c.description ?? ''))])));
  return h('div', {}, form, h('div', { class: 'composer-foot' }, hint, help));
}
