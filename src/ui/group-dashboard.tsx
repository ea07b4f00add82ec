import { useInput } from 'ink';
import React, { useRef, useState } from 'react';
import { accountsPanelHeight, AccountsPanel } from './components/accounts-panel.js';
import { Dashboard, type DashboardControls, type DashboardProps } from './dashboard.js';
import type { GroupSnapshot } from './view-model/group-view-model.js';

/** Rows the accounts panel may take: the selected account's own dashboard keeps the rest. */
const PANEL_SHARE = 0.4;

export interface GroupDashboardProps extends Omit<DashboardProps, 'snapshot' | 'controls' | 'above' | 'aboveRows' | 'moreKeys'> {
  group: GroupSnapshot;
  /** The keys' actions on one run of the group (absent = read-only). */
  controlsFor?: (runId: string) => DashboardControls;
}

/**
 * The dashboard of a group rebalance: the accounts panel (every account's run and the group per
 * currency) above the ordinary dashboard of the selected account's run — its header, legs (with
 * why the router gave each leg to this account), totals, settlement and alerts. Tab and ←/→
 * choose the account; the other keys act on the selected account's run as on a single run's
 * dashboard (the kill switch stops every run). The log above is every account's, each line led
 * by its alias.
 */
export function GroupDashboard(props: GroupDashboardProps): React.ReactElement {
  const { group, controlsFor, interactive = true, rows, ...rest } = props;
  const [selected, setSelected] = useState<string | null>(null);
  const accounts = group.accounts;
  const position = Math.max(0, accounts.findIndex((a) => a.view.runId === selected));
  const current = accounts[position];
  const latest = useRef(accounts);
  latest.current = accounts;
  useInput(
    (_input, key) => {
      const step = (key.tab && key.shift) || key.leftArrow ? -1 : key.tab || key.rightArrow ? 1 : 0;
      const list = latest.current;
      if (!step || list.length === 0) return;
      // From the selection as it is now, however many keys arrived before this render.
      setSelected((was) => {
        const at = Math.max(0, list.findIndex((a) => a.view.runId === was));
        return list[(at + step + list.length) % list.length]!.view.runId;
      });
    },
    { isActive: interactive },
  );
  const panelRows = accountsPanelHeight(accounts.length, group.totals.length, Math.max(3, Math.floor(rows * PANEL_SHARE)));
  const snapshot = current ? { ...current.snapshot, ended: group.ended } : group.idle;
  return (
    <Dashboard
      {...rest}
      rows={rows}
      interactive={interactive}
      snapshot={snapshot}
      controls={current && controlsFor ? controlsFor(current.view.runId) : undefined}
      above={<AccountsPanel group={group.group} accounts={accounts.map((a) => a.view)} totals={group.totals} selected={current?.view.runId ?? null} maxRows={panelRows} width={Math.max(20, props.columns - 1)} color={props.color} />}
      aboveRows={panelRows}
      moreKeys={accounts.length > 1 ? '⇥ account  ' : ''}
    />
  );
}
