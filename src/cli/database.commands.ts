import { SchemaNewerThanCodeError, migrateToLatest, migrationStatus } from '../db/migrate.js';
import { seedDemoStaff } from '../dev/demo/seed-demo-staff.js';
import { seedDemo } from '../dev/demo/seed-demo.js';
import { systemClock } from '../platform/clock.js';
import type { CliCommand } from './command.js';

export const databaseCommands: CliCommand[] = [
  {
    name: 'migrate',
    usage: '[--check]',
    summary: 'bring the database to the latest schema; --check lists what would run (exit 1 if any)',
    options: { check: { type: 'boolean' } },
    database: 'raw',
    async run({ database }, values) {
      if (!values.check) {
        const applied = await migrateToLatest(database.db);
        for (const name of applied) console.log(`applied ${name}`);
        console.log('database is at the latest schema');
        return 0;
      }
      const { pending, unknown } = await migrationStatus(database.db);
      if (unknown.length > 0) throw new SchemaNewerThanCodeError(unknown);
      for (const name of pending) console.log(`would apply ${name}`);
      console.log(pending.length === 0 ? 'database is at the latest schema' : `${pending.length} migration(s) pending`);
      return pending.length === 0 ? 0 : 1;
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
      if ((await seedDemoStaff(services.uow, services.hasher, services.box)) > 0) console.log('demo staff created');
      return 0;
    },
  },
];
