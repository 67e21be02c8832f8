import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { startConnection } from './app/rpc.js';
import { CustomerScreen } from './features/customer-display/CustomerScreen.js';
import { isCustomerViewHash } from './features/customer-display/url.js';
import { initI18n } from './i18n/index.js';
import './styles.css';

initI18n();
const root = document.getElementById('root');
// The customer-facing screen is this page with view=customer: its own connection, none of the till's
// session, keys, scanner or auto-lock.
if (isCustomerViewHash(location.hash)) {
  if (root) createRoot(root).render(<CustomerScreen />);
} else {
  window.__lavkaScanTimings = [];
  startConnection();
  if (root) createRoot(root).render(<App />);
}
