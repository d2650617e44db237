import '@xyflow/react/dist/style.css';
import 'react-querybuilder/dist/query-builder.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { i18n } from './i18n';
import './styles.css';

document.documentElement.lang = i18n.language;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
