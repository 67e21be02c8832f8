import { FiscalError, type FiscalErrorCode } from '../registrar.js';

/**
 * ATOL driver (libfptr10) error codes → the till's codes, as data. Numbers and Russian names from
 * the driver's error list as KKTServiceLib carries it (KKTErrorType, LIBFPTR_ERROR_*). `blocking`:
 * selling must stop until someone acts (Z report, ФН replacement, ОФД link); everything else can be
 * retried once its cause is dealt with.
 */
export interface AtolErrorInfo {
  code: FiscalErrorCode;
  blocking: boolean;
  /** The driver's name for it, for the log and support. */
  name: string;
}

const e = (code: FiscalErrorCode, name: string, blocking = false): AtolErrorInfo => ({ code, name, blocking });

export const ATOL_ERRORS: Readonly<Record<number, AtolErrorInfo>> = {
  // The driver cannot reach the registrar: nothing was sent, so nothing happened.
  1: e('offline', 'Соединение не установлено'),
  2: e('offline', 'Нет связи'),
  3: e('offline', 'Порт занят'),
  4: e('offline', 'Порт недоступен'),
  // The link dropped mid-exchange: the document may or may not be in the ФН, as after a timeout.
  241: e('timeout', 'Соединение с ККТ потеряно'),
  5: e('protocol', 'Некорректные данные от устройства'),
  11: e('unsupported', 'Не поддерживается в данной версии'),
  12: e('unsupported', 'Не поддерживается в данном режиме'),
  413: e('unsupported', 'Операция не разрешена в данной версии ФФД'),
  504: e('unsupported', 'Функция проверки задания не найдена'),
  71: e('password', 'Неверный пароль'),
  55: e('busy', 'Предыдущая операция не завершена'),
  72: e('busy', 'Идет обработка контрольной ленты'),
  401: e('busy', 'Процедура проверки КМ уже запущена'),
  423: e('busy', 'Выполняется проверка КМ'),
  73: e('shift_not_open', 'Смена закрыта - операция невозможна'),
  83: e('shift_already_open', 'Смена открыта, операция невозможна'),
  68: e('shift_expired', 'Смена превысила 24 часа', true),
  141: e('shift_expired', 'Продолжительность смены ФН более 24 часов', true),
  64: e('document_open', 'Открыт чек аннулирования – операция невозможна'),
  67: e('document_open', 'Открыт чек возврата – операция невозможна'),
  69: e('document_open', 'Открыт чек продажи – операция невозможна'),
  82: e('document_open', 'Документ открыт – операция невозможна'),
  200: e('document_open', 'Документ открыт - операция невозможна'),
  203: e('document_open', 'Произошла критическая ошибка, документ необходимо отменить'),
  44: e('paper_out', 'Нет бумаги'),
  120: e('fn_expired', 'Закончен срок эксплуатации ФН', true),
  70: e('fn_full', 'Переполнение ФП', true),
  121: e('fn_full', 'Архив ФН переполнен', true),
  136: e('fn_resource', 'Исчерпан ресурс КС ФН', true),
  137: e('fn_resource', 'Ресурс хранения ФД исчерпан', true),
  // The ФН waited too long for ОФД receipts: it refuses documents until the ОФД confirms them.
  140: e('ofd_overdue', 'Исчерпан ресурс ожидания передачи сообщения в ФН', true),
  118: e('other', 'Неисправимая ошибка ФН', true),
  117: e('other', 'Неверное состояние ФН', true),
  89: e('other', 'ККТ не зарегистрирована', true),
  32: e('other', 'Отчет о закрытии смены прерван', true),
  404: e('marking_invalid', 'Некорректное значение статуса КМ'),
  406: e('marking_invalid', 'Запрещена работа с маркированным товарами'),
  407: e('marking_invalid', 'Работа с маркированными товарами временно заблокирована'),
  409: e('marking_invalid', 'Некорректный код маркировки'),
  420: e('marking_invalid', 'КМ не проверен в ФН'),
  421: e('marking_invalid', 'Истёк таймаут проверки КМ'),
  422: e('marking_invalid', 'Данный КМ отсутствует в таблице'),
  244: e('marking_invalid', 'Некорректное значение типа кода маркировки'),
  8: e('bad_data', 'Не найден обязательный параметр'),
  13: e('bad_data', 'Нeкорректное значение параметра'),
  16: e('bad_data', 'Неверная цена (сумма)'),
  17: e('bad_data', 'Неверное количество'),
  26: e('bad_data', 'Неверный формат команды'),
  52: e('bad_data', 'Сумма не наличных платежей превышает сумму чека'),
  53: e('bad_data', 'Накопление меньше суммы возврата или аннулирования'),
  60: e('bad_data', 'Неверный вид оплаты'),
  66: e('bad_data', 'Чек оплачен не полностью'),
  79: e('bad_data', 'Подсчет суммы сдачи невозможен'),
  80: e('bad_data', 'В ККТ нет денег для выплаты'),
  128: e('bad_data', 'Некорректная сумма налога'),
  143: e('bad_data', 'Некорректная СНО'),
  144: e('bad_data', 'Недопустимый номер ставки налога'),
  161: e('bad_data', 'Не указаны обязательные реквизиты'),
  216: e('bad_data', 'Некорректный признак способа расчета'),
  217: e('bad_data', 'Некорректный признак предмета расчета'),
  243: e('bad_data', 'Некорректная сумма налога'),
  412: e('bad_data', 'Некорректное значение единиц измерения'),
  501: e('bad_data', 'Ошибка парсинга запроса'),
  // Printer hardware: the operator fixes it; the document itself is not at stake.
  45: e('other', 'Открыта крышка'),
  46: e('other', 'Нет связи с принтером чеков'),
  47: e('other', 'Механическая ошибка печатающего устройства'),
  114: e('other', 'Перегрев головки принтера'),
  150: e('other', 'Ошибка отрезчика'),
  502: e('other', 'Выполнение прервано из-за предыдущих ошибок'),
};

/** FN-side "no such document" answers to getFnDocument: not an error for findDocument. */
export const ATOL_NO_DOCUMENT = new Set([93, 123, 232]);

/** "Документ закрыт – операция невозможна": cancelling when nothing is open. */
export const ATOL_ALREADY_CLOSED = new Set([81, 201]);

export function atolError(deviceCode: number, description: string | null): FiscalError {
  const info = ATOL_ERRORS[deviceCode];
  const text = description?.trim() || info?.name || 'неизвестная ошибка';
  return new FiscalError(info?.code ?? 'other', `ATOL ${deviceCode}: ${text}`, info?.blocking ?? false, deviceCode);
}
