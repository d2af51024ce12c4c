/**
 * @module main
 * Entry point of the dashboard bundle (web/index.html loads it; no inline script anywhere).
 */
import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
