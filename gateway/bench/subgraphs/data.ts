/**
 * The data of the public federation gateway benchmark's four subgraphs: six users, nine products
 * with their stock, eleven reviews (all written by user 1), and the one nested query it sends.
 */

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
export interface Review {
  id: string;
  body: string;
  productUpc: string;
}

const person = (id: number, name: string, username: string): User => ({ id: String(id), name, username, birthday: 1234567890 });
export const users: User[] = [
  person(1, 'Uri Goldshtein', 'urigo'),
  person(2, 'Dotan Simha', 'dotansimha'),
  person(3, 'Kamil Kisiela', 'kamilkisiela'),
  person(4, 'Arda Tanrikulu', 'ardatan'),
  person(5, 'Gil Gardosh', 'gilgardosh'),
  person(6, 'Laurin Quast', 'laurin'),
];

const item = (upc: number, name: string, price: number, weight: number): Product => ({ upc: String(upc), name, price, weight });
export const products: Product[] = [
  item(1, 'Table', 899, 100),
  item(2, 'Couch', 1299, 1000),
  item(3, 'Glass', 15, 20),
  item(4, 'Chair', 499, 100),
  item(5, 'TV', 1299, 1000),
  item(6, 'Lamp', 6999, 300),
  item(7, 'Grill', 3999, 2000),
  item(8, 'Fridge', 100000, 6000),
  item(9, 'Sofa', 9999, 800),
];

/** Inventory knows only whether a product is in stock; price and weight come from products (`@requires`). */
export const inStock: Record<string, boolean> = { 1: true, 2: false, 3: false, 4: false, 5: true, 6: true, 7: true, 8: false, 9: true };

/** Free shipping above 1000, otherwise half the weight. */
export const shippingEstimate = (price: number | null | undefined, weight: number | null | undefined) =>
  price == null ? null : price > 1000 ? 0 : weight == null ? null : Math.trunc(weight / 2);

// Bodies of the lengths the original uses (long, medium, short), so responses weigh about the same.
const long =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
const medium =
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo.';
const other =
  'Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat voluptatem.';
const short = 'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur?';
const longest = `${long} ${medium} ${other}`;
const review = (id: number, body: string, productUpc: number): Review => ({ id: String(id), body, productUpc: String(productUpc) });
export const reviews: Review[] = [
  review(1, long, 1),
  review(2, medium, 1),
  review(3, other, 1),
  review(4, short, 1),
  review(5, long, 2),
  review(6, medium, 2),
  review(7, other, 2),
  review(8, short, 2),
  review(9, short, 3),
  review(10, short, 4),
  review(11, longest, 4),
];

/** As in the original: every review is written by user 1, and every user's reviews are the first two. */
export const AUTHOR_ID = '1';
export const reviewsOfUser = (_userId: string) => reviews.slice(0, 2);
export const reviewsOfProduct = (upc: string) => reviews.filter((r) => r.productUpc === upc);

/** The benchmark's query: users and top products, each four levels deep across all four subgraphs. */
export const QUERY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

/** What a correct gateway answers to QUERY, computed from the data alone (the oracle every response is compared with). */
export function expectedResponse() {
  const byId = new Map(users.map((u) => [u.id, u]));
  const byUpc = new Map(products.map((p) => [p.upc, p]));
  const productOf = (upc: string) => {
    const p = byUpc.get(upc) as Product;
    return { inStock: inStock[upc] ?? null, name: p.name, price: p.price, shippingEstimate: shippingEstimate(p.price, p.weight), upc, weight: p.weight };
  };
  const userFields = (u: User) => ({ id: u.id, username: u.username, name: u.name });
  const author = () => {
    const u = byId.get(AUTHOR_ID) as User;
    return { ...userFields(u), reviews: reviewsOfUser(u.id).map((r) => ({ id: r.id, body: r.body, product: productOf(r.productUpc) })) };
  };
  const reviewsWithAuthor = (upc: string) => reviewsOfProduct(upc).map((r) => ({ id: r.id, body: r.body, author: author() }));
  return {
    data: {
      users: users.map((u) => ({
        ...userFields(u),
        reviews: reviewsOfUser(u.id).map((r) => ({
          id: r.id,
          body: r.body,
          product: { ...productOf(r.productUpc), reviews: reviewsWithAuthor(r.productUpc) },
        })),
      })),
      topProducts: products.slice(0, 5).map((p) => ({ ...productOf(p.upc), reviews: reviewsWithAuthor(p.upc) })),
    },
  };
}
