import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource, type TrailSnapshot } from './core/resources';
import { CannotJudge, compliant, defineRule, nonCompliant } from './core/rule';
import { listSome, sentence } from './core/text';
import { REGIONAL_EVENT_SOURCES, trailVerdict } from './core/trails';

const why = (trail: TrailSnapshot, verdict: string) =>
  verdict === 'stopped'
    ? `trail ${trail.name} stopped logging`
    : `trail ${trail.name} does not select management write events`;

export default defineRule({
  id: 'account-cloudtrail-logging',
  title: 'A logging CloudTrail trail selects the management write events gatewatch watches',
  severity: 'HIGH',
  resource: 'account',
  rationale:
    'gatewatch sees a change within seconds only because CloudTrail delivers the API call to EventBridge, which needs a ' +
    'trail that logs management write events in the region. A trail stopped (StopLogging), deleted, made single-region ' +
    'or narrowed to read-only events by its event selectors blinds the real-time path, and every other rule then only ' +
    'catches changes at the next sweep.',
  parameters: parameters({
    eventSources: withDefault(
      z.array(z.string()).check(z.minLength(1)),
      [...REGIONAL_EVENT_SOURCES],
      'The CloudTrail event sources whose management write events a trail must log in the region.',
    ),
  }),
  evaluate(account, { eventSources }) {
    const what = sentence(describeResource(account));
    const expected = `a logging trail that selects management write events of ${eventSources.join(', ')}`;
    const { trails } = account;
    if (!trails) {
      throw new CannotJudge(
        `${what} could not be checked for a CloudTrail trail: the trails could not be read (cloudtrail:DescribeTrails).`,
      );
    }
    const blind: string[] = [];
    const reasons = new Set<string>();
    const unknown: string[] = [];
    const delivering = new Set<string>();
    for (const source of eventSources) {
      const verdicts = trails.map((trail) => ({ trail, verdict: trailVerdict(trail, source) }));
      const delivers = verdicts.filter(({ verdict }) => verdict === 'delivers');
      for (const { trail } of delivers) delivering.add(trail.name);
      if (delivers.length > 0) continue;
      if (verdicts.some(({ verdict }) => verdict === 'unknown')) {
        unknown.push(source);
        continue;
      }
      blind.push(source);
      for (const { trail, verdict } of verdicts) reasons.add(why(trail, verdict));
    }
    if (blind.length > 0) {
      const detail = trails.length === 0 ? 'no trail logs this region' : listSome([...reasons], 2);
      return nonCompliant(
        `${what} are not watched in real time: no trail logs management write events of ${listSome(blind, 1)} here (${detail}).`,
        {
          observed: trails.map(
            (trail) => `${trail.name}: ${trail.logging === false ? 'stopped' : 'logging'}`,
          ),
          expected,
        },
      );
    }
    if (unknown.length > 0) {
      throw new CannotJudge(
        `${what} could not be checked for a CloudTrail trail: the status or event selectors of ${listSome(
          trails
            .filter((trail) => trail.logging === null || trail.selectors === null)
            .map((trail) => trail.name),
          2,
        )} could not be read.`,
      );
    }
    return compliant(
      `${what} are watched in real time: trail ${listSome([...delivering], 2)} logs the management write events gatewatch needs here.`,
      { observed: [...delivering], expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html',
    ],
    securityHub: ['CloudTrail.1'],
    configManagedRule: 'multi-region-cloudtrail-enabled',
  },
  // Trails change through CloudTrail's own API; the account settings are not a type Config records.
  periodic: true,
  needs: ['cloudtrail-trails'],
});
