import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type SearchToken, containsPattern } from './student-search.js';

/** A student as the search lists them: from the records, the account, or only the roster. */
export interface StudentMatch {
  userId: string;
  studentNumber: string | null;
  name: { kanji: string; kana: string; roman: string } | null;
  email: string | null;
}

/** Who a user ID is at this university, from whichever of records, account and roster know it. */
export interface StudentIdentity {
  userId: string;
  studentNumber: string | null;
  name: { kanji: string; kana: string; roman: string } | null;
  status: string | null;
  inRoster: boolean;
}

function like(value: Expression<string>, word: string): Expression<SqlBool> {
  return sql<SqlBool>`${value} like ${containsPattern(word)} escape '\\'`;
}

const lower = (column: string) => sql<string>`lower(${sql.ref(column)})`;
/** Names are compared without their spaces: 山田太郎 finds 山田 太郎. */
const spaceless = (column: string) => sql<string>`lower(replace(replace(${sql.ref(column)}, ' ', ''), '　', ''))`;

/**
 * The registrar's student search (#12 A-2) across the records (names, student number), the
 * accounts (mail address) and the roster (user IDs of students with neither). Every word must
 * match some field of one table; each table gives at most `limit` user IDs.
 */
export class StudentSearchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async search(tenantId: string, tokens: readonly SearchToken[], limit: number): Promise<StudentMatch[]> {
    if (tokens.length === 0) return [];
    const fromRecords = await this.db
      .selectFrom('student_records')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb.and(
          tokens.map((token) =>
            eb.or([
              like(lower('user_id'), token.text),
              like(lower('student_number'), token.text),
              like(spaceless('name_kanji'), token.text),
              like(spaceless('name_kana'), token.katakana),
              like(spaceless('name_kana'), token.hiragana),
              like(spaceless('name_roman'), token.text),
            ]),
          ),
        ),
      )
      .orderBy('user_id')
      .limit(limit)
      .execute();
    const fromAccounts = await this.db
      .selectFrom('accounts')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb.and(tokens.map((token) => eb.or([like(lower('user_id'), token.text), like(lower('email'), token.text)]))),
      )
      .orderBy('user_id')
      .limit(limit)
      .execute();
    const fromRoster = await this.db
      .selectFrom('roster')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.and(tokens.map((token) => like(lower('user_id'), token.text))))
      .orderBy('user_id')
      .limit(limit)
      .execute();
    const userIds = [...new Set([...fromRecords, ...fromAccounts, ...fromRoster].map((row) => row.user_id))]
      .sort()
      .slice(0, limit);
    if (userIds.length === 0) return [];
    const records = await this.db
      .selectFrom('student_records')
      .select(['user_id', 'student_number', 'name_kanji', 'name_kana', 'name_roman'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', userIds)
      .execute();
    const accounts = await this.db
      .selectFrom('accounts')
      .select(['user_id', 'email'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', userIds)
      .execute();
    const recordOf = new Map(records.map((row) => [row.user_id, row]));
    const emailOf = new Map(accounts.map((row) => [row.user_id, row.email]));
    return userIds.map((userId) => {
      const record = recordOf.get(userId);
      return {
        userId,
        studentNumber: record?.student_number ?? null,
        name: record ? { kanji: record.name_kanji, kana: record.name_kana, roman: record.name_roman } : null,
        email: emailOf.get(userId) ?? null,
      };
    });
  }

  /** Undefined when neither the records, the roster nor an account know this user ID here. */
  async identity(tenantId: string, userId: string): Promise<StudentIdentity | undefined> {
    const record = await this.db
      .selectFrom('student_records')
      .select(['student_number', 'name_kanji', 'name_kana', 'name_roman', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const roster = await this.db
      .selectFrom('roster')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const account = await this.db
      .selectFrom('accounts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!record && !roster && !account) return undefined;
    return {
      userId,
      studentNumber: record?.student_number ?? null,
      name: record ? { kanji: record.name_kanji, kana: record.name_kana, roman: record.name_roman } : null,
      status: record?.status ?? null,
      inRoster: roster !== undefined,
    };
  }
}
