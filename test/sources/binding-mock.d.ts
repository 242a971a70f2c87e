/**
 * @serialport/binding-mock 10 ships types its package.json "exports" does not
 * expose under moduleResolution nodenext; this declares the part the tests use.
 */
declare module '@serialport/binding-mock' {
  export interface MockPortBinding {
    isOpen: boolean;
    emitData(data: Buffer | string): void;
  }
  export const MockBinding: {
    reset(): void;
    createPort(path: string, opt?: { echo?: boolean; record?: boolean; readyData?: Buffer }): void;
    list(): Promise<{ path: string }[]>;
    open(options: { path: string; baudRate: number }): Promise<MockPortBinding>;
  };
}
