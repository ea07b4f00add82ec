import { supplyShippedCalendars } from '../../src/app/loaders/calendars.js';

// Every test process has the shipped exchange calendars, as every command does (BaseCommand).
supplyShippedCalendars();
