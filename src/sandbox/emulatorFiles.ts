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
      out.push({ id: stored.id, name: stored.filename, title: f.title ?? stored.filename });
    }
    return { ok: true, files: out };
  },
};
