/** files.uploadV2 as @slack/web-api drives it: get an upload URL, POST the bytes there, complete. */
import type { Answer, MethodContext } from './emulatorMethods';

const fail = (error: string): Answer => ({ ok: false, error });

export const fileMethods: Record<string, (ctx: MethodContext) => Answer> = {
  'files.getUploadURLExternal': ({ state, args }) => {
    const filename = typeof args.filename === 'string' ? args.filename : '';
    const length = Number(args.length);
    if (!filename) return fail('invalid_arguments');
    if (!Number.isFinite(length) || length <= 0) return fail('invalid_arguments');
    const id = `F${String(state.files.size + 1).padStart(8, '0')}`;
    state.files.set(id, { id, filename, content: null });
    return { ok: true, upload_url: `${state.uploadBase}/upload/${id}`, file_id: id };
  },
  'files.completeUploadExternal': ({ state, args }) => {
    let files: { id: string; title?: string }[] = [];
    try {
      files = typeof args.files === 'string' ? (JSON.parse(args.files) as typeof files) : (args.files as typeof files);
    } catch {
      return fail('invalid_arguments');
    }
    const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
    const out = [];
    for (const f of files ?? []) {
      const stored = state.files.get(f.id);
      if (!stored || stored.content === null) return fail('file_not_found');
      stored.title = f.title;
      stored.channel = channel;
      stored.comment = typeof args.initial_comment === 'string' ? args.initial_comment : undefined;
      if (channel) stored.sharedTs = state.nextTs();
      out.push({ id: stored.id, name: stored.filename, title: f.title ?? stored.filename });
    }
    return { ok: true, files: out };
  },
};

/**
 * The bytes of an uploaded file. The emulator keeps the raw body POSTed to the upload URL, which
 * @slack/web-api sends as multipart/form-data with one part: that part's content is the file.
 */
export function fileText(raw: string | null): string | null {
  if (raw === null) return null;
  const boundary = /^(--[^\r\n]+)\r\n/.exec(raw)?.[1];
  if (!boundary) return raw;
  const start = raw.indexOf('\r\n\r\n');
  const end = raw.lastIndexOf(`\r\n${boundary}--`);
  if (start < 0 || end < start) throw new Error('unreadable multipart upload');
  return raw.slice(start + 4, end);
}
