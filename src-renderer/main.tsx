import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { startConnection } from './app/rpc.js';
import { initI18n } from './i18n/index.js';
import './styles.css';

window.__lavkaScanTimings = [];
initI18n();
startConnection();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
