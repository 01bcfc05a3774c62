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
import { openSqlite, type SqliteHandle } from '../../../src/store/connection';
import { CheckinStore } from '../../../src/store/checkins';
import { EngagementStore } from '../../../src/store/engagements';
import { EventStore } from '../../../src/store/events';
import { ImpedimentStore } from '../../../src/store/impediments';
import { migrate } from '../../../src/store/migrate';
import { OutboxStore } from '../../../src/store/outbox';
import { DigestStore } from '../../../src/store/digests';
import { PeopleStore } from '../../../src/store/people';
import { PortfolioStore } from '../../../src/store/portfolio';
import { ReminderStore } from '../../../src/store/reminders';
import type { Sql } from '../../../src/store/sql';
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

function explain(db: SqliteHandle, sql: string): Explained {
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
  let db: SqliteHandle;
  let sql: Sql;
  let prepared: string[] = [];
  let portfolio: PortfolioStore;
  let digests: DigestStore;
  let reminders: ReminderStore;
  let people: PeopleStore;
  let impediments: ImpedimentStore;
  let outbox: OutboxStore;
  let checkins: CheckinStore;
  let events: EventStore;
  let engagementId = 0;
  let impedimentId = 0;
  const now = new Date('2026-11-23T10:00:00Z');
  const TEAM = 'T1';

  beforeAll(async () => {
    const opened = openSqlite(tmp.file());
    db = opened.sqlite as SqliteHandle;
    sql = opened.sql;
    await migrate(sql);
    const engagements = new EngagementStore(sql);
    impediments = new ImpedimentStore(sql);
    portfolio = new PortfolioStore(sql, impediments);
    digests = new DigestStore(sql);
    reminders = new ReminderStore(sql);
    people = new PeopleStore(sql);
    outbox = new OutboxStore(sql);
    checkins = new CheckinStore(sql);
    events = new EventStore(sql);
    // One row of each, so that methods which load what they found prepare those queries too.
    engagementId = await engagements.insert(TEAM, draft(), 'USPONSOR', now);
    const imp = await impediments.insert(
      { teamId: TEAM, engagementId, description: 'x', severity: 'high', organisational: true, reporterId: 'UREP', anonymous: false, source: 'command', sourcePermalink: null, dueAt: now, followupHash: null },
      new Date(now.getTime() - 86_400_000),
    );
    impedimentId = imp.id;
    await impediments.update(imp.id, { state: 'open', level: 1 }, { ownerId: 'UOWNER', level: 3, waitingOnExecutives: true }, now);
    await checkins.insert({ teamId: TEAM, engagementId, authorId: 'UCOACH1', health: 'green', summary: 's', nextSteps: '', outcomeValues: [], createdAt: now });
    await events.append({ teamId: TEAM, engagementId, impedimentId: imp.id, actorId: null, type: 't', at: now });
    await outbox.enqueue({ teamId: TEAM, engagementId, kind: 'dm', orderKey: 'user:U1', payload: {} }, now);

    const original = db.prepare.bind(db);
    (db as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      prepared.push(sql);
      return original(sql);
    };
  });
  afterAll(async () => {
    await sql.close();
    tmp.cleanup();
  });

  /** The plans of every statement `call` prepares. */
  async function plansOf(call: () => unknown): Promise<Explained[]> {
    prepared = [];
    await call();
    const sqls = [...new Set(prepared)].filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(q));
    prepared = [];
    return sqls.map((sql) => explain(db, sql));
  }

  const since = () => new Date(now.getTime() - 7 * 86_400_000);

  /** [name, call, scope]: 'one' = about one engagement or person (rules 1 and 2), 'workspace' = rule 1 only. */
  const cases: [string, () => unknown, 'one' | 'workspace'][] = [
    // /status and the portfolio: the rollup subqueries run once per engagement of the workspace.
    ['PortfolioStore.portfolio(active)', () => portfolio.portfolio(TEAM, { type: 'active' }, now), 'one'],
    ['PortfolioStore.portfolio(all)', () => portfolio.portfolio(TEAM, { type: 'all' }, now), 'one'],
    ['PortfolioStore.portfolio(mine)', () => portfolio.portfolio(TEAM, { type: 'mine', userId: 'UREP' }, now), 'one'],
    ['PortfolioStore.kickoffsSince', () => portfolio.kickoffsSince(TEAM, since()), 'workspace'],
    ['PortfolioStore.openBySeverity', () => portfolio.openBySeverity(engagementId), 'one'],
    ['PortfolioStore.openImpediments', () => portfolio.openImpediments(engagementId, 30), 'one'],
    ['PortfolioStore.escalated', () => portfolio.escalated(engagementId, 20), 'one'],
    ['PortfolioStore.unanswered', () => portfolio.unanswered(engagementId, now, 20), 'one'],
    ['PortfolioStore.executiveWaits', () => portfolio.executiveWaits(TEAM, 10), 'workspace'],
    // App Home
    ['PortfolioStore.waitingOn', () => portfolio.waitingOn(TEAM, 'UPROGRAM', 20), 'one'],
    ['PortfolioStore.ownedBy', () => portfolio.ownedBy(TEAM, 'UOWNER', 20), 'one'],
    ['PeopleStore.withHome', () => people.withHome(TEAM, ['U1', 'U2']), 'one'],
    // digests and reminders
    ['PortfolioStore.changedBetween', () => portfolio.changedBetween(engagementId, since(), now), 'one'],
    ['DigestStore.digestsDue', () => digests.digestsDue(now, 200), 'workspace'],
    ['DigestStore.digestSchedule', () => digests.digestSchedule(engagementId), 'one'],
    ['DigestStore.advanceDigest', () => digests.advanceDigest(engagementId, 'x', null, now), 'one'],
    ['ReminderStore.checkinsStale', () => reminders.checkinsStale(since(), 500), 'workspace'],
    ['ReminderStore.impedimentsIdle', () => reminders.impedimentsIdle(now, 500), 'workspace'],
    ['ReminderStore.reminderState', () => reminders.reminderState('impediment', impedimentId, 'UOWNER'), 'one'],
    ['ReminderStore.markReminded', () => reminders.markReminded(TEAM, 'impediment', impedimentId, 'UOWNER', '2026-11-23'), 'one'],
    ['ReminderStore.snooze', () => reminders.snooze(TEAM, 'impediment', impedimentId, 'UOWNER', now), 'one'],
    ['PeopleStore.userZone', () => people.userZone(TEAM, 'U1'), 'one'],
    ['PeopleStore.homeOpened', () => people.homeOpened(TEAM, 'U1', now), 'one'],
    // the engagement view's other reads
    ['CheckinStore.latest', async () => await checkins.latest(engagementId, 2), 'one'],
    ['CheckinStore.between', () => checkins.between(engagementId, since(), now), 'one'],
    ['CheckinStore.before', () => checkins.before(engagementId, now), 'one'],
    ['EventStore.forEngagement', async () => await events.forEngagement(engagementId, 5), 'one'],
    ['EventStore.forImpediment', async () => await events.forImpediment(impedimentId), 'one'],
    ['ImpedimentStore.clocksForEngagement', () => impediments.clocksForEngagement(engagementId), 'one'],
    // /impediment list and the sweep
    ['ImpedimentStore.list(engagement, open only) — /impediment list in an engagement channel', async () => await impediments.list(TEAM, { engagementId, openOnly: true }, 40), 'one'],
    ['ImpedimentStore.list(engagement) — /impediment list KEY, export', async () => await impediments.list(TEAM, { engagementId }, 40), 'one'],
    ['ImpedimentStore.list(user) — /impediment list mine', async () => await impediments.list(TEAM, { userId: 'UREP' }, 40), 'one'],
    ['ImpedimentStore.list(workspace, open only) — /impediment list elsewhere', async () => await impediments.list(TEAM, { openOnly: true }, 40), 'workspace'],
    ['ImpedimentStore.get', async () => await impediments.get(impedimentId), 'one'],
    ['ImpedimentStore.getByNumber', async () => await impediments.getByNumber(TEAM, 1), 'one'],
    ['ImpedimentStore.engagementsForChannel', () => impediments.engagementsForChannel(TEAM, 'C1'), 'workspace'],
    ['ImpedimentStore.dueForEscalation', async () => await impediments.dueForEscalation(now, 100), 'workspace'],
    // the outbox
    ['OutboxStore.claimDue', async () => await outbox.claimDue(now, 4, new Set()), 'workspace'],
    ['OutboxStore.nextDueAt', async () => await outbox.nextDueAt(), 'workspace'],
    // hasLaterPending walks the pending rows (there is no engagement index on the outbox); they are few once drained.
    ['OutboxStore.hasLaterPending', async () => await outbox.hasLaterPending(1, 'confirmation', engagementId), 'workspace'],
    ['OutboxStore.hasLaterPendingKey', async () => await outbox.hasLaterPendingKey(1, 'home:U1'), 'one'],
    ['OutboxStore.counts', async () => await outbox.counts(), 'workspace'],
  ];

  it('the spy records SQL and the explainer resolves aliases (self-check)', async () => {
    const plans = await plansOf(() => portfolio.portfolio(TEAM, { type: 'active' }, now));
    expect(plans).toHaveLength(1);
    expect(plans[0].steps.filter((s) => s.table === 'impediments').length).toBeGreaterThanOrEqual(4);
    // A deliberately bad query is caught by both rules.
    const bad = explain(db, `SELECT COUNT(*) FROM impediments i WHERE i.description = ?`);
    expect(bad.steps.some(fullScan)).toBe(true);
    const weak = explain(db, `SELECT id FROM impediments WHERE state = 'open' AND due_at <= ?`);
    expect(weak.steps.some(fullScan)).toBe(false);
    expect(weak.steps.some(unscoped)).toBe(true);
  });

  it.each(cases)('%s: no full scan of a big table', async (_name, call) => {
    const plans = await plansOf(call);
    expect(plans.length).toBeGreaterThan(0);
    const scans = plans.filter((p) => p.steps.some(fullScan)).map(show);
    expect(scans).toEqual([]);
  });

  it.each(cases.filter((c) => c[2] === 'one'))('%s: reaches impediments, clocks, check-ins, events and the outbox through the engagement, person or row', async (_name, call) => {
    const plans = await plansOf(call);
    const unscopedPlans = plans.filter((p) => p.steps.some(unscoped)).map(show);
    expect(unscopedPlans).toEqual([]);
  });
});
