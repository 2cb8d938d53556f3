/** The two colour themes; the user's choice is remembered in localStorage. */
export type Theme = 'light' | 'dark';
