import ExcelJS from 'exceljs';

/** A supplier's price list as an XLSX file: a header row, then the rows as given (cells as typed). */
export async function supplierXlsx(header: readonly string[], rows: readonly (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Прайс');
  ws.addRow(['ООО «Молочный двор» — прайс-лист на 02.12.2026']);
  ws.addRow([...header]);
  for (const r of rows) ws.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
