// Slack mrkdwn → DOM. Text only ever reaches the DOM through text nodes / createElement.
import { h, formatInstant } from './dom.js';

const EMOJI = {
  white_check_mark: '✅', warning: '⚠️', rotating_light: '🚨', red_circle: '🔴', white_circle: '⚪',
  arrow_double_up: '⏫', large_yellow_circle: '🟡', large_orange_circle: '🟠', large_green_circle: '🟢',
  large_blue_circle: '🔵', no_entry_sign: '🚫', no_entry: '⛔', hourglass_flowing_sand: '⏳', gear: '⚙️',
  zzz: '💤', wave: '👋', sparkles: '✨', raising_hand: '🙋', pencil2: '✏️', memo: '📝', information_source: 'ℹ️',
  inbox_tray: '📥', eyes: '👀', checkered_flag: '🏁', calendar: '📅', pushpin: '📌', tada: '🎉', x: '❌',
  heavy_check_mark: '✔️', bulb: '💡', star: '⭐', fire: '🔥', thumbsup: '👍', '+1': '👍', link: '🔗',
  clipboard: '📋', bar_chart: '📊', chart_with_upwards_trend: '📈', lock: '🔒', bell: '🔔', mag: '🔍',
  arrow_up: '⬆️', arrow_right: '➡️', hourglass: '⌛', clock3: '🕒', speech_balloon: '💬', bust_in_silhouette: '👤',
  busts_in_silhouette: '👥', page_facing_up: '📄', construction: '🚧', seedling: '🌱', handshake: '🤝',
};

export function decodeEntities(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export function emojify(s) {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);
}

/** Plain text as Slack shows it: entities decoded, emoji shortcodes replaced. */
export function plain(s, emoji = true) {
  const t = decodeEntities(String(s ?? ''));
  return emoji ? emojify(t) : t;
}

const SAFE_URL = /^(https?:|mailto:|\/)/i;

export function safeHref(url) {
  const u = decodeEntities(url).trim();
  return SAFE_URL.test(u) && !u.startsWith('//') ? u : null;
}

function angle(token, ctx) {
  const body = token.slice(1, -1);
  const bar = body.indexOf('|');
  const target = bar >= 0 ? body.slice(0, bar) : body;
  const label = bar >= 0 ? body.slice(bar + 1) : null;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const p = ctx.people?.find((x) => x.id === id);
    const name = p ? p.realName : id === ctx.botUserId ? 'coachline' : label ? plain(label) : id;
    return h('span', { class: 'mention', 'data-user': id }, '@' + name);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const c = ctx.channels?.find((x) => x.id === id);
    const name = c ? c.name : label ? plain(label) : id;
    return h('a', { class: 'mention channel-mention', 'data-channel': id, href: `/sandbox?c=${encodeURIComponent(id)}` }, '#' + name);
  }
  if (target.startsWith('!')) {
    const cmd = target.slice(1);
    if (cmd.startsWith('date^')) {
      const [, ts, fmt] = cmd.split('^');
      const d = new Date(Number(ts) * 1000);
      if (!Number.isFinite(d.getTime())) return document.createTextNode(plain(label ?? ''));
      return h('time', { datetime: d.toISOString() }, formatDateToken(d, fmt ?? '', ctx.tz, ctx.now));
    }
    if (cmd.startsWith('subteam^')) return h('span', { class: 'mention' }, plain(label ?? '@team'));
    return h('span', { class: 'mention broadcast' }, '@' + (label ? plain(label).replace(/^@/, '') : cmd));
  }
  const href = safeHref(target);
  const text = label !== null ? plain(label) : decodeEntities(target);
  if (!href) return document.createTextNode(text);
  return h('a', { href, target: href.startsWith('/') ? null : '_blank', rel: 'noopener noreferrer' }, text);
}

function formatDateToken(d, fmt, tz, now) {
  const opt = (o) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...o }).format(d);
  const dayKey = (x) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(x);
  const pretty = () => {
    const n = now ? new Date(now) : new Date();
    const k = dayKey(d);
    if (k === dayKey(n)) return 'Today';
    if (k === dayKey(new Date(n.getTime() + 864e5))) return 'Tomorrow';
    if (k === dayKey(new Date(n.getTime() - 864e5))) return 'Yesterday';
    return null;
  };
  return fmt.replace(/\{(\w+)\}/g, (m, k) => {
    switch (k) {
      case 'date_num': return dayKey(d);
      case 'date_short': return opt({ day: 'numeric', month: 'short', year: 'numeric' });
      case 'date_short_pretty': return pretty() ?? opt({ day: 'numeric', month: 'short', year: 'numeric' });
      case 'date_long': return opt({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
      case 'date_long_pretty': return pretty() ?? opt({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
      case 'date': case 'date_pretty': return (k === 'date_pretty' && pretty()) || opt({ day: 'numeric', month: 'long', year: 'numeric' });
      case 'time': return opt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      case 'time_secs': return opt({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
      case 'ago': return formatInstant(d, tz);
      default: return m;
    }
  });
}

// Tokens: `code`, <angle>, *bold*, _italic_, ~strike~ (the latter at word boundaries).
const INLINE = /(`[^`\n]+`)|(<[^<>\n]+>)|((?<![\p{L}\p{N}*])\*(?!\s)[^*\n]+?(?<!\s)\*(?![\p{L}\p{N}*]))|((?<![\p{L}\p{N}_])_(?!\s)[^_\n]+?(?<!\s)_(?![\p{L}\p{N}_]))|((?<![\p{L}\p{N}~])~(?!\s)[^~\n]+?(?<!\s)~(?![\p{L}\p{N}~]))/gu;

/** Inline mrkdwn into `parent`. */
export function inline(parent, text, ctx) {
  INLINE.lastIndex = 0;
  const re = new RegExp(INLINE.source, 'gu');
  let last = 0;
  let m;
  const put = (s) => {
    if (!s) return;
    const parts = s.split('\n');
    parts.forEach((p, i) => {
      if (i > 0) parent.append(h('br'));
      if (p) parent.append(document.createTextNode(plain(p)));
    });
  };
  while ((m = re.exec(text))) {
    put(text.slice(last, m.index));
    const tok = m[0];
    if (m[1]) parent.append(h('code', {}, decodeEntities(tok.slice(1, -1))));
    else if (m[2]) parent.append(angle(tok, ctx));
    else {
      const tag = m[3] ? 'strong' : m[4] ? 'em' : 'del';
      const el = h(tag);
      inline(el, tok.slice(1, -1), ctx);
      parent.append(el);
    }
    last = m.index + tok.length;
  }
  put(text.slice(last));
  return parent;
}

/** Block-level mrkdwn: ```pre```, > quotes, then inline. Returns a <div class="mrkdwn">. */
export function mrkdwn(text, ctx, tag = 'div') {
  const root = h(tag, { class: 'mrkdwn' });
  const s = String(text ?? '');
  const chunks = s.split('```');
  chunks.forEach((chunk, i) => {
    if (i % 2 === 1 && i < chunks.length - 1) {
      root.append(h('pre', {}, decodeEntities(chunk.replace(/^\n/, '').replace(/\n$/, ''))));
      return;
    }
    if (i % 2 === 1) chunk = '```' + chunk; // unmatched fence: literal
    else {
      if (i > 0) chunk = chunk.replace(/^\n/, '');
      if (i < chunks.length - 1) chunk = chunk.replace(/\n$/, '');
    }
    let buf = [];
    let quote = null;
    const flushText = () => {
      if (!buf.length || !buf.join('')) { buf = []; return; }
      const span = h('span');
      inline(span, buf.join('\n'), ctx);
      root.append(span);
      buf = [];
    };
    const lines = chunk.split('\n');
    lines.forEach((line, li) => {
      const q = /^(&gt;|>) ?(.*)$/.exec(line);
      if (q) {
        flushText();
        if (!quote) quote = [];
        quote.push(q[2]);
      } else {
        if (quote) {
          root.append(inline(h('blockquote'), quote.join('\n'), ctx));
          quote = null;
          if (line === '' && li === lines.length - 1) return;
        }
        buf.push(line);
      }
    });
    if (quote) root.append(inline(h('blockquote'), quote.join('\n'), ctx));
    flushText();
  });
  return root;
}

/** A Slack text object (plain_text or mrkdwn) → element. */
export function textObject(t, ctx, tag = 'div') {
  if (!t) return h(tag);
  if (t.type === 'mrkdwn') return mrkdwn(t.text, ctx, tag);
  // plain_text is shown literally (no entity decoding), emoji shortcodes aside.
  const raw = String(t.text ?? '');
  return h(tag, { class: 'plain' }, t.emoji === false ? raw : emojify(raw));
}
