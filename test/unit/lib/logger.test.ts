import { createLogger } from '../../../src/lib/logger';

describe('logger', () => {
  const collect = (level: 'debug' | 'info' = 'debug') => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ level, sink: (l) => lines.push(l), secrets: ['s3cret-signing'] }) };
  };

  it('never writes the bodies the Web API client quotes at debug (they name who a DM went to)', () => {
    const { lines, logger } = collect();
    logger.debug('http request body: {"channel":"UDEV6","text":"A reminder: the team pulse…"}');
    logger.debug('http request result: {"ok":true,"user":{"id":"UDEV1","real_name":"Dana Dev"}}');
    logger.debug('http request url: https://slack.com/api/chat.postMessage');
    const text = lines.join('\n');
    expect(text).not.toContain('UDEV6');
    expect(text).not.toContain('Dana Dev');
    expect(text).toContain('http request body: [not logged: may name people]');
    expect(text).toContain('chat.postMessage');
  });

  it('masks tokens and registered secrets, and keeps below-level lines out', () => {
    const { lines, logger } = collect('info');
    logger.info('using xoxb-1234-abcd and s3cret-signing');
    logger.debug('not at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('xoxb-[redacted]');
    expect(lines[0]).not.toContain('s3cret-signing');
  });
});
