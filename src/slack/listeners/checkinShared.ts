import type { WebClient } from '@slack/web-api';
import type { Engagement } from '../../domain/types';
import { checkinModal } from '../views/checkinViews';
import type { ListenerDeps } from './deps';

/** Opens the check-in modal for someone allowed to check in (refusals are thrown for the caller to show). */
export async function openCheckinModal(client: WebClient, deps: ListenerDeps, e: Engagement, userId: string, triggerId: string): Promise<void> {
  deps.status.assertCanCheckin(e, userId);
  const latest = (await deps.status.engagementData(e)).latestCheckin;
  await client.views.open({ trigger_id: triggerId, view: checkinModal(e, { latest }) });
}
