import type { FormField } from '@flowpath/engine';
import Form from '@rjsf/core';
import { englishStringTranslator, TranslatableString, type ErrorSchema, type RJSFValidationError } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { asLang, type Lang } from '../../i18n';
import { formSchema, localizeErrors, type FormValues } from '../model/form-schema';

/** rjsf's own words (Yes/No radios, date pickers, the error list) in Chinese; English as rjsf ships it. */
const ZH: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.ErrorsLabel]: '错误',
  [TranslatableString.CloseLabel]: '关闭',
  [TranslatableString.NowLabel]: '现在',
  [TranslatableString.ClearLabel]: '清除',
  [TranslatableString.AriaDateLabel]: '选择日期',
  [TranslatableString.ClearButton]: '清除',
  [TranslatableString.DecrementAriaLabel]: '减 1',
  [TranslatableString.IncrementAriaLabel]: '加 1',
};

const NO_DEFAULTS = { constAsDefaults: 'never', emptyObjectFields: 'skipDefaults' } as const;

function translator(lang: Lang) {
  return (s: TranslatableString, params?: string[]) => (lang === 'zh-CN' && ZH[s] ? (ZH[s] as string) : englishStringTranslator(s, params));
}

/**
 * A user task's form, rendered by react-jsonschema-form from the node's form fields: types,
 * required fields, allowed values with labels and limits, in the UI language. Browser-side
 * errors use the engine's messages; `serverErrors` (a 422's field errors) appear on their fields.
 */
export function TaskForm({
  fields,
  values,
  onChange,
  onSubmit,
  serverErrors,
  disabled,
  children,
}: {
  fields: readonly FormField[];
  values: FormValues;
  onChange: (v: FormValues) => void;
  onSubmit: (v: FormValues) => void;
  serverErrors: ErrorSchema | undefined;
  disabled: boolean;
  children: ReactNode;
}) {
  const { i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const { schema, uiSchema } = useMemo(() => formSchema(fields, lang), [fields, lang]);
  const translateString = useMemo(() => translator(lang), [lang]);
  const transformErrors = useMemo(() => (errors: RJSFValidationError[]) => localizeErrors(errors, fields, lang), [fields, lang]);
  return (
    <Form
      // A new language rebuilds the form so labels, options and messages all switch together.
      key={lang}
      className="task-form"
      idPrefix="task"
      schema={schema}
      uiSchema={uiSchema}
      formData={values}
      validator={validator}
      onChange={(e) => onChange((e.formData ?? {}) as FormValues)}
      onSubmit={(e) => onSubmit((e.formData ?? {}) as FormValues)}
      // Errors are shown on their fields; rjsf would otherwise also log them to the console.
      onError={() => undefined}
      transformErrors={transformErrors}
      translateString={translateString}
      {...(serverErrors ? { extraErrors: serverErrors } : {})}
      // Never pre-select a choice: an operator must pick "approve" themselves, not find it picked.
      experimental_defaultFormStateBehavior={NO_DEFAULTS}
      showErrorList={false}
      noHtml5Validate
      focusOnFirstError
      disabled={disabled}
    >
      {children}
    </Form>
  );
}
