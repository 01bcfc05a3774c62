import type { App } from '@slack/bolt';
import { CALLBACK } from '../../ids';
import type { ListenerDeps } from '../deps';
import { editSubmit, escalateSubmit, raiseSubmit, resolveSubmit } from './impedimentSubmit';
import { checkinSubmit } from './checkinSubmit';
import { kickoffSubmit } from './kickoffSubmit';
import { pulseSubmit } from './pulseSubmit';
import { profileSubmit } from './profileSubmit';
import { coachingRequestSubmit, declineRequestSubmit } from './requestSubmit';

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(CALLBACK.kickoff, kickoffSubmit(deps));
  app.view(CALLBACK.raiseImpediment, raiseSubmit(deps));
  app.view(CALLBACK.escalateImpediment, escalateSubmit(deps));
  app.view(CALLBACK.resolveImpediment, resolveSubmit(deps));
  app.view(CALLBACK.editImpediment, editSubmit(deps));
  app.view(CALLBACK.checkin, checkinSubmit(deps));
  app.view(CALLBACK.pulse, pulseSubmit(deps));
  app.view(CALLBACK.profile, profileSubmit(deps));
  app.view(CALLBACK.coachingRequest, coachingRequestSubmit(deps));
  app.view(CALLBACK.declineRequest, declineRequestSubmit(deps));
}
