import { createContext, useContext } from 'react';
import type { GraphController } from './graph-controller';

/** Where the mounted canvas controller lives, for toolbars, the minimap, the keyboard and automation. */
export class ControllerSlot {
  current: GraphController | null = null;
  set(c: GraphController | null): void {
    this.current = c;
  }
}

export const GraphControllerContext = createContext<ControllerSlot>(new ControllerSlot());

export function useGraphController(): ControllerSlot {
  return useContext(GraphControllerContext);
}
