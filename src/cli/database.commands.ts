import { seedDemo } from '../dev/demo/seed-demo.js';
import { systemClock } from '../platform/clock.js';
import type { CliCommand } from './command.js';

export const databaseCommands: CliCommand[] = [
  {
    name: 'migrate',
    usage: '',
    summary: 'bring the database to the latest schema',
    options: {},
    async run() {
      console.log('database is at the latest schema');
      return 0;
    },
  },
  {
    name: 'demo',
    usage: '',
    summary: 'create the demo universities (if missing)',
    options: {},
    async run({ services }) {
      console.log(
        (await seedDemo(services.uow, systemClock, services.hasher))
          ? 'demo universities created'
          : 'demo universities already exist',
      );
      return 0;
    },
  },
];
