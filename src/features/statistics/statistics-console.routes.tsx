import type { FastifyInstance } from 'fastify';
import { fieldErrors, queryField } from '../../platform/http/form.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConsoleOptions } from '../staff/staff.services.js';
import { session } from '../staff/staff.http.js';
import { StatisticsPage } from './pages/statistics.page.js';

const statisticsForm = { message: (code: string) => `statistics.validation.${code}` };

/** #12 A-7: registrars and administrators alike; the numbers are this university's only. */
export async function statisticsConsoleRoutes(app: FastifyInstance, { staff, services }: ConsoleOptions) {
  app.get('/statistics', { preHandler: staff.http.requireStaff() }, async (request, reply) => {
    const input = { from: queryField(request.query, 'from'), to: queryField(request.query, 'to') };
    const range = services.statistics.resolveRange(input);
    const member = session(request).member;
    if (range.status === 'invalid')
      return sendPage(
        request,
        reply,
        <StatisticsPage
          member={member}
          input={input}
          errors={fieldErrors(range.violations, statisticsForm)}
          report={undefined}
        />,
        422,
      );
    const report = await services.statistics.report(request.tenant, range.range);
    return sendPage(
      request,
      reply,
      <StatisticsPage
        member={member}
        input={{ from: range.range.from, to: range.range.to }}
        errors={[]}
        report={report}
      />,
    );
  });
}
