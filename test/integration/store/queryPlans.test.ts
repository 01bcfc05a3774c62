/**
 * EXPLAIN QUERY PLAN for every query the status read models, App Home, digests, reminders,
 * impediment lists, the escalation sweep and the outbox make — on a freshly migrated database,
 * exactly as production runs it (the app never runs ANALYZE, so the planner has no statistics
 * and these are the plans it uses with 1,000,000 impediments too).
 *
 * How: `db.prepare` is wrapped to record every SQL string a store method prepares while the
 * method is called once; each recorded statement is then explained with NULL parameters (the
 * plan does not depend on the values). Two rules:
 *
 * 1. Never a full `SCAN` of impediments, events, escalation_clocks, checkins or outbox.
 *    `SCAN … USING (COVERING) INDEX` is accepted (an index walk, e.g. `GROUP BY status` over
 *    the outbox's status index).
 *    engagements: a bare `SCAN engagements` is not accepted either. The table is small (about
 *    1,000 rows, so a scan would take about a millisecond), but every read of it is per
 *    workspace (`team_id = ?`) or per lifecycle and there are indexes for both; a plan that
 *    stops using them is a regression worth hearing about. `SCAN engagements USING INDEX …`
 *    would be fine for the portfolio filtered by team.
 * 2. A query about ONE engagement or ONE person must reach the big tables through that
 *    engagement or person: each step on impediments / escalation_clocks / checkins / events /
 *    outbox constrains engagement_id, owner_id, reporter_id, the row id, impediment_id or
 *    order_key. A `SEARCH` on `(state=?)` or `(team_id=?)` alone is a scan of every open (or
 *    every) impediment in the workspace in disguise: with 1,000,000 impediments in one
 *    workspace, per engagement of the portfolio. Workspace-wide queries (the sweep, digests
 *    due, reminders, the outbox queue, executives' waits, the workspace's open list) are
 *    exempt from rule 2 but not from rule 1.
 */
import type { Db } from '../../../src/store/connection';
import { openDatabase } from '../../../src/store/connection';
import { CheckinStore } from '../../../src/store/checkins';
import { EngagementStore } from '../../../src/store/engagements';
import { EventStore } from '../../../src/store/events';
import { ImpedimentStore } from '../../../src/store/impediments';
import { migrate } from '../../../src/store/migrate';
import { OutboxStore } from '../../../src/store/outbox';
import { StatusStore } from '../../../src/store/status';
import { draft } from '../../support/drafts';
import { tempDir } from '../../support/tempDb';

const BIG = new Set(['impediments', 'events', 'escalation_clocks', 'checkins', 'outbox']);
const SELECTIVE = /\b(engagement_id|owner_id|reporter_id|rowid|impediment_id|order_key|number)=/;
const KEYWORDS = new Set(['where', 'on', 'join', 'left', 'inner', 'cross', 'group', 'order', 'limit', 'union', 'select', 'as', 'set', 'values']);

interface Step {
  detail: string;
  op: 'SCAN' | 'SEARCH' | 'OTHER';
  table: string | null;
}

interface Explained {
  sql: string;
  steps: Step[];
}

/** `FROM impediments i`, `JOIN escalation_contacts c`, `UPDATE outbox` → alias → table. */
function aliases(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?/gi)) {
    const table = m[1].toLowerCase();
    map.set(table, table);
    if (m[2] && !KEYWORDS.has(m[2].toLowerCase())) map.set(m[2].toLowerCase(), table);
  }
  return map;
}

function explain(db: Db, sql: string): Explained {
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]))];
  const positional = (sql.match(/\?/g) ?? []).length;
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (named.length > 0 ? stmt.all(Object.fromEntries(named.map((k) => [k, null]))) : stmt.all(...Array<null>(positional).fill(null))) as { detail: string }[];
  const names = aliases(sql);
  return {
    sql,
    steps: rows.map(({ detail }) => {
      const m = /^(SCAN|SEARCH) (\w+)/.exec(detail);
      return { detail, op: m ? (m[1] as 'SCAN' | 'SEARCH') : 'OTHER', table: m ? (names.get(m[2].toLowerCase()) ?? m[2].toLowerCase()) : null };
    }),
  };
}

/** Rule 1: a full scan (no index at all) of a big table or of engagements. */
const fullScan = (s: Step) => s.op === 'SCAN' && s.table !== null && (BIG.has(s.table) || s.table === 'engagements') && !/ USING (COVERING )?INDEX /.test(s.detail);
/** Rule 2: a step on a big table that does not go through the engagement, the person or the row. */
const unscoped = (s: Step) => s.table !== null && BIG.has(s.table) && !(s.op === 'SEARCH' && SELECTIVE.test(s.detail));

const show = (e: Explained) => `${e.sql.replace(/\s+/g, ' ').trim()}\n${e.steps.map((s) => `    ${s.detail}`).join('\n')}`;

describe('query plans of the status, impediment and outbox stores (EXPLAIN QUERY PLAN, no ANALYZE)', () => {
  const tmp = tempDir('coachline-plans-');
  let db: Db;
  let prepared: string[] = [];
  let status: StatusStore;
  let impediments: ImpedimentStore;
  let outbox: OutboxStore;
  let checkins: CheckinStore;
  let events: EventStore;
  let engagementId = 0;
  let impedimentId = 0;
  const now = new Date('2026-11-23T10:00:00Z');
  const TEAM = 'T1';

  beforeAll(() => {
    db = openDatabase(tmp.file());
    migrate(db);
    const engagements = new EngagementStore(db);
    impediments = new ImpedimentStore(db);
    status = new StatusStore(db, impediments);
    outbox = new OutboxStore(db);
    checkins = new CheckinStore(db);
    events = new EventStore(db);
    // One row of each, so that methods which load what they found prepare those queries too.
    engagementId = engagements.insert(TEAM, draft(), 'USPONSOR', now);
    const imp = impediments.insert(
      { teamId: TEAM, engagementId, description: 'x', severity: 'high', organisational: true, reporterId: 'UREP', anonymous: false, source: 'command', sourcePermalink: null, dueAt: now, followupHash: null },
      new Date(now.getTime() - 86_400_000),
    );
    impedimentId = imp.id;
    impediments.update(imp.id, { state: 'open', level: 1 }, { ownerId: 'UOWNER', level: 3, waitingOnExecutives: true }, now);
    checkins.insert({ teamId: TEAM, engagementId, authorId: 'UCOACH1', health: 'green', summary: 's', nextSteps: '', outcomeValues: [], createdAt: now });
    events.append({ teamId: TEAM, engagementId, impedimentId: imp.id, actorId: null, type: 't', at: now });
    outbox.enqueue({ teamId: TEAM, engagementId, kind: 'dm', orderKey: 'user:U1', payload: {} }, now);

    const original = db.prepare.bind(db);
    (db as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      prepared.push(sql);
      return original(sql);
    };
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  /** The plans of every statement `call` prepares. */
  function plansOf(call: () => unknown): Explained[] {
    prepared = [];
    call();
    const sqls = [...new Set(prepared)];
    prepared = [];
    return sqls.map((sql) => explain(db, sql));
  }

  const since = () => new Date(now.getTime() - 7 * 86_400_000);

  /** [name, call, scope]: 'one' = about one engagement or person (rules 1 and 2), 'workspace' = rule 1 only. */
  const cases: [string, () => unknown, 'one' | 'workspace'][] = [
    // /status and the portfolio: the rollup subqueries run once per engagement of the workspace.
    ['StatusStore.portfolio(active)', () => status.portfolio(TEAM, { type: 'active' }, now), 'one'],
    ['StatusStore.portfolio(all)', () => status.portfolio(TEAM, { type: 'all' }, now), 'one'],
    ['StatusStore.portfolio(mine)', () => status.portfolio(TEAM, { type: 'mine', userId: 'UREP' }, now), 'one'],
    ['StatusStore.kickoffsSince', () => status.kickoffsSince(TEAM, since()), 'workspace'],
    ['StatusStore.openBySeverity', () => status.openBySeverity(engagementId), 'one'],
    ['StatusStore.openImpediments', () => status.openImpediments(engagementId, 30), 'one'],
    ['StatusStore.escalated', () => status.escalated(engagementId, 20), 'one'],
    ['StatusStore.unanswered', () => status.unanswered(engagementId, now, 20), 'one'],
    ['StatusStore.executiveWaits', () => status.executiveWaits(TEAM, 10), 'workspace'],
    // App Home
    ['StatusStore.waitingOn', () => status.waitingOn(TEAM, 'UPROGRAM', 20), 'one'],
    ['StatusStore.ownedBy', () => status.ownedBy(TEAM, 'UOWNER', 20), 'one'],
    ['StatusStore.withHome', () => status.withHome(TEAM, ['U1', 'U2']), 'one'],
    // digests and reminders
    ['StatusStore.changedBetween', () => status.changedBetween(engagementId, since(), now), 'one'],
    ['StatusStore.digestsDue', () => status.digestsDue(now, 200), 'workspace'],
    ['StatusStore.digestSchedule', () => status.digestSchedule(engagementId), 'one'],
    ['StatusStore.advanceDigest', () => status.advanceDigest(engagementId, 'x', null, now), 'one'],
    ['StatusStore.checkinsStale', () => status.checkinsStale(since(), 500), 'workspace'],
    ['StatusStore.impedimentsIdle', () => status.impedimentsIdle(now, 500), 'workspace'],
    ['StatusStore.reminderState', () => status.reminderState('impediment', impedimentId, 'UOWNER'), 'one'],
    ['StatusStore.markReminded', () => status.markReminded(TEAM, 'impediment', impedimentId, 'UOWNER', '2026-11-23'), 'one'],
    ['StatusStore.snooze', () => status.snooze(TEAM, 'impediment', impedimentId, 'UOWNER', now), 'one'],
    ['StatusStore.userZone', () => status.userZone(TEAM, 'U1'), 'one'],
    ['StatusStore.homeOpened', () => status.homeOpened(TEAM, 'U1', now), 'one'],
    // the engagement view's other reads
    ['CheckinStore.latest', () => checkins.latest(engagementId, 2), 'one'],
    ['CheckinStore.between', () => checkins.between(engagementId, since(), now), 'one'],
    ['CheckinStore.before', () => checkins.before(engagementId, now), 'one'],
    ['EventStore.forEngagement', () => events.forEngagement(engagementId, 5), 'one'],
    ['EventStore.forImpediment', () => events.forImpediment(impedimentId), 'one'],
    ['ImpedimentStore.clocksForEngagement', () => impediments.clocksForEngagement(engagementId), 'one'],
    // /impediment list and the sweep
    ['ImpedimentStore.list(engagement, open only) — /impediment list in an engagement channel', () => impediments.list(TEAM, { engagementId, openOnly: true }, 40), 'one'],
    ['ImpedimentStore.list(engagement) — /impediment list KEY, export', () => impediments.list(TEAM, { engagementId }, 40), 'one'],
    ['ImpedimentStore.list(user) — /impediment list mine', () => impediments.list(TEAM, { userId: 'UREP' }, 40), 'one'],
    ['ImpedimentStore.list(workspace, open only) — /impediment list elsewhere', () => impediments.list(TEAM, { openOnly: true }, 40), 'workspace'],
    ['ImpedimentStore.get', () => impediments.get(impedimentId), 'one'],
    ['ImpedimentStore.getByNumber', () => impediments.getByNumber(TEAM, 1), 'one'],
    ['ImpedimentStore.engagementsForChannel', () => impediments.engagementsForChannel(TEAM, 'C1'), 'workspace'],
    ['ImpedimentStore.dueForEscalation', () => impediments.dueForEscalation(now, 100), 'workspace'],
    // the outbox
    ['OutboxStore.claimDue', () => outbox.claimDue(now, 4, new Set()), 'workspace'],
    ['OutboxStore.nextDueAt', () => outbox.nextDueAt(), 'workspace'],
    // hasLaterPending walks the pending rows (there is no engagement index on the outbox); they are few once drained.
    ['OutboxStore.hasLaterPending', () => outbox.hasLaterPending(1, 'confirmation', engagementId), 'workspace'],
    ['OutboxStore.hasLaterPendingKey', () => outbox.hasLaterPendingKey(1, 'home:U1'), 'one'],
    ['OutboxStore.counts', () => outbox.counts(), 'workspace'],
  ];

  it('the spy records SQL and the explainer resolves aliases (self-check)', () => {
    const plans = plansOf(() => status.portfolio(TEAM, { type: 'active' }, now));
    expect(plans).toHaveLength(1);
    expect(plans[0].steps.filter((s) => s.table === 'impediments').length).toBeGreaterThanOrEqual(4);
    // A deliberately bad query is caught by both rules.
    const bad = explain(db, `SELECT COUNT(*) FROM impediments i WHERE i.description = ?`);
    expect(bad.steps.some(fullScan)).toBe(true);
    const weak = explain(db, `SELECT id FROM impediments WHERE state = 'open' AND due_at <= ?`);
    expect(weak.steps.some(fullScan)).toBe(false);
    expect(weak.steps.some(unscoped)).toBe(true);
  });

  it.each(cases)('%s: no full scan of a big table', (_name, call) => {
    const plans = plansOf(call);
    expect(plans.length).toBeGreaterThan(0);
    const scans = plans.filter((p) => p.steps.some(fullScan)).map(show);
    expect(scans).toEqual([]);
  });

  it.each(cases.filter((c) => c[2] === 'one'))('%s: reaches impediments, clocks, check-ins, events and the outbox through the engagement, person or row', (_name, call) => {
    const plans = plansOf(call);
    const unscopedPlans = plans.filter((p) => p.steps.some(unscoped)).map(show);
    expect(unscopedPlans).toEqual([]);
  });
});
