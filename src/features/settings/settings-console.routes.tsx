import type { FastifyReply, FastifyRequest } from 'fastify';
import { todayInJapan } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { languages } from '../../platform/i18n.js';
import type { Invalid } from '../../platform/violation.js';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage } from '../../platform/views/render.js';
import {
  type CatalogueItem,
  type CertificateType,
  certificateTypes,
  destinations,
} from '../catalogue/catalogue.model.js';
import { offerings } from '../catalogue/eligibility.js';
import { studentStatuses } from '../records/record.model.js';
import type { ConsoleSection } from '../staff/staff.services.js';
import { session, staffBase } from '../staff/staff.http.js';
import { contrastText, contrastWithWhite } from '../tenants/branding.js';
import { MARKDOWN_TEXT_MAX, type Tenant } from '../tenants/tenant.model.js';
import {
  type CataloguePreview,
  CatalogueItemPage,
  CatalogueListPage,
  catalogueValues,
} from './pages/catalogue.pages.js';
import {
  BrandingPage,
  PolicyPage,
  SettingsIndexPage,
  TextsPage,
  inquiryFields,
  policyNumbers,
} from './pages/settings.pages.js';
import { markdownTexts } from './settings.service.js';

type Values = Record<string, string>;

const TEXTS_BODY_LIMIT = 1024 * 1024;
type Kept = { preview?: boolean };

/** Violations of the settings forms: each code's message is under `settingsValidation.`, naming its field. */
function settingsErrors(
  request: FastifyRequest,
  invalid: Invalid,
  fields: (path: string) => string,
  labelKey: (field: string) => string,
): FieldError[] {
  return fieldErrors(invalid.violations, { fields, message: (code) => `settingsValidation.${code}` }).map((error) => ({
    ...error,
    params: { ...error.params, field: request.t(labelKey(error.field)) },
  }));
}

/** A whole number as typed, full-width digits and thousands separators allowed; anything else stays text (and is refused). */
function integer(value: string): number | string | undefined {
  const plain = value.normalize('NFKC').replace(/[,\s]/g, '');
  if (plain === '') return undefined;
  return /^-?\d{1,9}$/.test(plain) ? Number(plain) : plain;
}

const catalogueFieldNames = [
  'type',
  'nameJa',
  'nameEn',
  'feeYen',
  'maxCopies',
  'finalYearOnly',
  'availableFrom',
  'sortOrder',
];
const catalogueFlags = [
  ...languages.map((code) => `language-${code}`),
  ...destinations.map((destination) => `destination-${destination}`),
  ...studentStatuses.map((status) => `status-${status}`),
];

function catalogueFormValues(body: unknown): Values {
  return Object.fromEntries(
    [...catalogueFieldNames, ...catalogueFlags].map((name) => [name, formField(body, name, 300)]),
  );
}

function catalogueInput(values: Values): unknown {
  const chosen = <T extends string>(prefix: string, all: readonly T[]) =>
    all.filter((value) => values[`${prefix}-${value}`] === '1');
  const availableFrom = (values.availableFrom ?? '').normalize('NFKC').trim();
  return {
    type: values.type,
    name: { ja: (values.nameJa ?? '').trim(), en: (values.nameEn ?? '').trim() },
    languages: chosen('language', languages),
    feeYen: integer(values.feeYen ?? ''),
    maxCopies: integer(values.maxCopies ?? ''),
    destinations: chosen('destination', destinations),
    eligibility: {
      statuses: chosen('status', studentStatuses),
      finalYearOnly: values.finalYearOnly === '1',
      ...(availableFrom && { availableFromMonthDay: availableFrom }),
    },
    sortOrder: integer(values.sortOrder ?? '') ?? 0,
  };
}

const catalogueFields: Record<string, string> = {
  'name.ja': 'nameJa',
  'name.en': 'nameEn',
  languages: 'language-ja',
  destinations: 'destination-campus',
  'eligibility.statuses': 'status-enrolled',
  'eligibility.availableFromMonthDay': 'availableFrom',
};
const catalogueLabel = (field: string) =>
  `settings.catalogue.${field.replace(/^(language|destination|status)-.*$/, (_, group: string) => `${group}Group`)}`;

/** The students' order form with the draft in place of the stored type, for a student who may have it. */
function cataloguePreview(
  tenant: Tenant,
  catalogue: CatalogueItem[],
  draft: CatalogueItem,
  now: number,
): CataloguePreview {
  const destination = draft.destinations[0] ?? 'campus';
  const status = draft.eligibility.statuses[0] ?? 'enrolled';
  const today = todayInJapan(now);
  const year = Number(today.slice(0, 4)) + (today.slice(5) > '03-31' ? 1 : 0);
  const record = { status, year: 4, programYears: 4, expectedGraduationDate: `${year}-03-31` };
  const items = [...catalogue.filter((item) => item.type !== draft.type), { ...draft, active: true }];
  return {
    destination,
    status,
    postageYen: tenant.policy.postageYen,
    offerings: offerings(items, record, destination, today).filter(
      (offering) => offering.item.destinations.includes(destination) || offering.item.type === draft.type,
    ),
  };
}

function policyValues(tenant: Tenant): Values {
  return {
    ...Object.fromEntries(policyNumbers.map((field) => [field.name, String(tenant.policy[field.name])])),
    twoFactorMandatory: tenant.policy.twoFactorMandatory ? '1' : '',
    defaultLang: tenant.policy.defaultLang,
  };
}

function textValues(tenant: Tenant): Values {
  const values: Values = {};
  for (const lang of languages) {
    const content = tenant.content[lang];
    for (const text of markdownTexts) values[`${lang}-${text}`] = content[text];
    const [first, second] = content.inquiry.phones;
    Object.assign(values, {
      [`${lang}-inquiryTitle`]: content.inquiry.title,
      [`${lang}-phone1`]: first?.number ?? '',
      [`${lang}-hours1`]: first?.hours ?? '',
      [`${lang}-phone2`]: second?.number ?? '',
      [`${lang}-hours2`]: second?.hours ?? '',
      [`${lang}-chatUrl`]: content.inquiry.chat?.url ?? '',
      [`${lang}-chatHours`]: content.inquiry.chat?.hours ?? '',
      [`${lang}-phonesJapaneseOnly`]: content.inquiry.phonesJapaneseOnly ? '1' : '',
    });
  }
  return values;
}

function textInput(values: Values) {
  const one = (lang: string) => {
    const value = (name: string) => (values[`${lang}-${name}`] ?? '').trim();
    const phones = [1, 2]
      .map((n) => ({ number: value(`phone${n}`), hours: value(`hours${n}`) }))
      .filter((phone) => phone.number || phone.hours);
    return {
      ...Object.fromEntries(
        markdownTexts.map((text) => [text, (values[`${lang}-${text}`] ?? '').replace(/\r\n/g, '\n')]),
      ),
      inquiry: {
        title: value('inquiryTitle'),
        phones,
        ...((value('chatUrl') || value('chatHours')) && { chat: { url: value('chatUrl'), hours: value('chatHours') } }),
        phonesJapaneseOnly: values[`${lang}-phonesJapaneseOnly`] === '1',
      },
    };
  };
  return { ja: one('ja'), en: one('en') };
}

/** `ja.inquiry.phones.1.number` → `ja-phone2`: a content path to the field that holds it. */
function textField(path: string): string {
  const [lang, part, ...rest] = path.split('.');
  if (part !== 'inquiry') return `${lang}-${part}`;
  if (rest[0] === 'title') return `${lang}-inquiryTitle`;
  if (rest[0] === 'chat') return `${lang}-${rest[1] === 'hours' ? 'chatHours' : 'chatUrl'}`;
  if (rest[0] === 'phones') return `${lang}-${rest[2] === 'hours' ? 'hours' : 'phone'}${Number(rest[1] ?? 0) + 1}`;
  return `${lang}-inquiryTitle`;
}
const textLabel = (field: string) => `settings.texts.${field.replace(/^(ja|en)-/, '')}`;

function textValuesFromBody(body: unknown): Values {
  const names = languages.flatMap((lang) => [
    ...markdownTexts.map((text) => `${lang}-${text}`),
    ...inquiryFields.map((field) => `${lang}-${field}`),
    `${lang}-phonesJapaneseOnly`,
  ]);
  return Object.fromEntries(
    names.map((name) => [name, formField(body, name, name.endsWith('chatUrl') ? 500 : MARKDOWN_TEXT_MAX + 1)]),
  );
}

const notices = new Set(['saved', 'added', 'disabled', 'enabled', 'logoSaved', 'logoRemoved']);
function notice(request: FastifyRequest): string | undefined {
  const value = queryField(request.query, 'notice');
  return notices.has(value) ? value : undefined;
}

/** #12 §4, A-3: the university's settings, for administrators only. */
export const settingsConsoleRoutes: ConsoleSection = async (app, { staff, services }) => {
  const { http } = staff;
  const settings = services.tenantSettings;
  const administrator = { preHandler: http.requireStaff('administrator') };
  const base = (request: FastifyRequest) => `${staffBase(request)}/settings`;
  const me = (request: FastifyRequest) => session(request).member;
  const recall = (request: FastifyRequest, reply: FastifyReply) => http.forms.recall<Values, Kept>(request, reply);
  /** A type of this university, or 404: another university's, or no such type, is nothing here. */
  const storedType = async (request: FastifyRequest) => {
    const type = (request.params as { type: string }).type;
    const item = (certificateTypes as readonly string[]).includes(type)
      ? await settings.catalogueItem(request.tenant, type as CertificateType)
      : undefined;
    if (!item) throw new AppError('not_found');
    return item;
  };

  app.get('/settings', administrator, async (request, reply) =>
    sendPage(request, reply, <SettingsIndexPage me={me(request)} />),
  );

  app.get('/settings/catalogue', administrator, async (request, reply) =>
    sendPage(
      request,
      reply,
      <CatalogueListPage me={me(request)} items={await settings.catalogue(request.tenant)} notice={notice(request)} />,
    ),
  );

  const catalogueItemPage = async (request: FastifyRequest, reply: FastifyReply, item: CatalogueItem | undefined) => {
    const kept = await recall(request, reply);
    const values =
      kept?.values ??
      (item ? catalogueValues(item) : { 'language-ja': '1', 'status-enrolled': '1', maxCopies: '1', sortOrder: '0' });
    let preview: CataloguePreview | undefined;
    if (kept?.extra?.preview) {
      const draft = settings.checkCatalogueItem(catalogueInput(values));
      if (draft.status === 'valid')
        preview = cataloguePreview(
          request.tenant,
          await settings.catalogue(request.tenant),
          draft.value,
          services.clock.now(),
        );
    }
    return sendPage(
      request,
      reply,
      <CatalogueItemPage
        me={me(request)}
        item={item}
        values={values}
        errors={kept?.errors ?? []}
        preview={preview}
        notice={notice(request)}
      />,
      kept?.status,
    );
  };

  const saveCatalogueItem = async (request: FastifyRequest, reply: FastifyReply, item: CatalogueItem | undefined) => {
    const values = catalogueFormValues(request.body);
    if (item) values.type = item.type;
    const page = `${base(request)}/catalogue/${item ? item.type : 'new'}`;
    const invalid = (result: Invalid) =>
      http.forms.redirect<Values, Kept>(request, reply, page, {
        values,
        errors: settingsErrors(request, result, (path) => catalogueFields[path] ?? path, catalogueLabel),
        status: 422,
      });
    if (formField(request.body, 'intent') === 'preview') {
      const draft = settings.checkCatalogueItem(catalogueInput(values));
      if (draft.status === 'invalid') return invalid(draft);
      return http.forms.redirect<Values, Kept>(request, reply, page, {
        values,
        errors: [],
        status: 200,
        extra: { preview: true },
      });
    }
    const result = await settings.saveCatalogueItem(
      request.tenant,
      catalogueInput(values),
      http.actor(request, reply),
      {
        adding: !item,
      },
    );
    if (result.status === 'invalid') return invalid(result);
    return reply.redirect(`${base(request)}/catalogue/${result.item.type}?notice=${item ? 'saved' : 'added'}`, 303);
  };

  app.get('/settings/catalogue/new', administrator, async (request, reply) =>
    catalogueItemPage(request, reply, undefined),
  );
  app.post('/settings/catalogue/new', administrator, async (request, reply) =>
    saveCatalogueItem(request, reply, undefined),
  );
  app.get('/settings/catalogue/:type', administrator, async (request, reply) =>
    catalogueItemPage(request, reply, await storedType(request)),
  );
  app.post('/settings/catalogue/:type', administrator, async (request, reply) =>
    saveCatalogueItem(request, reply, await storedType(request)),
  );

  app.post('/settings/catalogue/:type/active', administrator, async (request, reply) => {
    const item = await storedType(request);
    const page = `${base(request)}/catalogue/${item.type}`;
    const active = formField(request.body, 'active') === '1';
    if (!active && formField(request.body, 'confirm') !== '1')
      return http.forms.redirect<Values, Kept>(request, reply, page, {
        values: catalogueValues(item),
        errors: [{ field: 'confirm', message: 'settingsValidation.confirmDisable' }],
        status: 422,
      });
    await settings.setCatalogueItemActive(request.tenant, item.type, active, http.actor(request, reply));
    return reply.redirect(`${page}?notice=${active ? 'enabled' : 'disabled'}`, 303);
  });

  app.get('/settings/policy', administrator, async (request, reply) => {
    const kept = await recall(request, reply);
    return sendPage(
      request,
      reply,
      <PolicyPage
        me={me(request)}
        values={kept?.values ?? policyValues(request.tenant)}
        errors={kept?.errors ?? []}
        notice={notice(request)}
      />,
      kept?.status,
    );
  });

  app.post('/settings/policy', administrator, async (request, reply) => {
    const values: Values = {
      ...Object.fromEntries(policyNumbers.map((field) => [field.name, formField(request.body, field.name, 20)])),
      twoFactorMandatory: formField(request.body, 'twoFactorMandatory', 1),
      defaultLang: formField(request.body, 'defaultLang', 5),
    };
    const input = {
      ...Object.fromEntries(policyNumbers.map((field) => [field.name, integer(values[field.name] ?? '')])),
      twoFactorMandatory: values.twoFactorMandatory === '1',
      defaultLang: values.defaultLang,
    };
    const result = await settings.savePolicy(request.tenant, input, http.actor(request, reply));
    if (result.status === 'invalid')
      return http.forms.redirect<Values, Kept>(request, reply, `${base(request)}/policy`, {
        values,
        errors: settingsErrors(
          request,
          result,
          (path) => path,
          (field) => `settings.policy.${field}`,
        ),
        status: 422,
      });
    return reply.redirect(`${base(request)}/policy?notice=saved`, 303);
  });

  app.get('/settings/texts', administrator, async (request, reply) => {
    const kept = await recall(request, reply);
    const values = kept?.values ?? textValues(request.tenant);
    return sendPage(
      request,
      reply,
      <TextsPage
        me={me(request)}
        values={values}
        errors={kept?.errors ?? []}
        preview={kept?.extra?.preview ? values : undefined}
        notice={notice(request)}
      />,
      kept?.status,
    );
  });

  // Eight texts of up to 10,000 characters each: Japanese is nine bytes a character once form-encoded.
  app.post('/settings/texts', { ...administrator, bodyLimit: TEXTS_BODY_LIMIT }, async (request, reply) => {
    const values = textValuesFromBody(request.body);
    const page = `${base(request)}/texts`;
    const invalid = (result: Invalid) =>
      http.forms.redirect<Values, Kept>(request, reply, page, {
        values,
        errors: settingsErrors(request, result, textField, textLabel),
        status: 422,
      });
    if (formField(request.body, 'intent') === 'preview') {
      const checked = settings.checkTexts(request.tenant, textInput(values));
      if (checked.status === 'invalid') return invalid(checked);
      return http.forms.redirect<Values, Kept>(request, reply, page, {
        values,
        errors: [],
        status: 200,
        extra: { preview: true },
      });
    }
    const result = await settings.saveTexts(request.tenant, textInput(values), http.actor(request, reply));
    if (result.status === 'invalid') return invalid(result);
    return reply.redirect(`${page}?notice=saved`, 303);
  });

  app.get('/settings/branding', administrator, async (request, reply) => {
    const kept = await recall(request, reply);
    const { tenant } = request;
    const colour = tenant.branding.colour;
    return sendPage(
      request,
      reply,
      <BrandingPage
        me={me(request)}
        values={kept?.values ?? { nameJa: tenant.name.ja, nameEn: tenant.name.en, colour: colour ?? '' }}
        errors={kept?.errors ?? []}
        branding={tenant.branding}
        ratio={colour && contrastText(contrastWithWhite(colour))}
        notice={notice(request)}
      />,
      kept?.status,
    );
  });

  const brandingLabel = (field: string) => `settings.branding.${field}`;
  app.post('/settings/branding', administrator, async (request, reply) => {
    const values = {
      nameJa: formField(request.body, 'nameJa', 300),
      nameEn: formField(request.body, 'nameEn', 300),
      colour: formField(request.body, 'colour', 20),
    };
    const result = await settings.saveBranding(request.tenant, values, http.actor(request, reply));
    if (result.status === 'invalid')
      return http.forms.redirect<Values, Kept>(request, reply, `${base(request)}/branding`, {
        values,
        errors: settingsErrors(request, result, (path) => path, brandingLabel),
        status: 422,
      });
    return reply.redirect(`${base(request)}/branding?notice=saved`, 303);
  });

  app.post('/settings/branding/logo', administrator, async (request, reply) => {
    const file = (request.body as Record<string, unknown> | undefined)?.logo;
    const result = await settings.saveLogo(
      request.tenant,
      Buffer.isBuffer(file) ? file : undefined,
      http.actor(request, reply),
    );
    if (result.status === 'invalid')
      return http.forms.redirect<Values, Kept>(request, reply, `${base(request)}/branding`, {
        values: {},
        errors: settingsErrors(request, result, (path) => path, brandingLabel),
        status: 422,
      });
    return reply.redirect(`${base(request)}/branding?notice=logoSaved`, 303);
  });

  app.post('/settings/branding/logo/remove', administrator, async (request, reply) => {
    if (formField(request.body, 'confirm') !== '1')
      return http.forms.redirect<Values, Kept>(request, reply, `${base(request)}/branding`, {
        values: {},
        errors: [{ field: 'confirm', message: 'settingsValidation.confirmRemoveLogo' }],
        status: 422,
      });
    await settings.removeLogo(request.tenant, http.actor(request, reply));
    return reply.redirect(`${base(request)}/branding?notice=logoRemoved`, 303);
  });
};
